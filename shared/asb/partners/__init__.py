"""Partners: sharing with partners lawfully - agreements, requests, minimised packages, signed
messages, the disclosure log."""
