"""What a file is, from its first bytes (puremagic's signatures), never from its name."""

from __future__ import annotations

# Names the same format goes by: one per format, as EVIDENCE_KINDS lists them.
_SAME = {"audio/x-wav": "audio/wav", "audio/wave": "audio/wav", "audio/x-m4a": "audio/mp4",
         "audio/m4a": "audio/mp4", "audio/x-flac": "audio/flac", "audio/mp3": "audio/mpeg",
         "image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg",
         "application/ogg": "audio/ogg"}


def sniffed_type(head: bytes) -> str | None:
    """The media type the content shows, or None if no signature matches."""
    import puremagic  # only the tracking function sniffs: others do not pay its import

    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return None
    for match in matches:
        if match.mime_type:
            return str(_SAME.get(match.mime_type, match.mime_type))
    return None
