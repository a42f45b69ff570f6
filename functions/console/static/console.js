// The officers' console: plain DOM, no framework. Every page is its own URL and a full load,
// so the browser's history, titles and focus work as they do on any page.
const settings = JSON.parse(document.getElementById("console-settings").textContent);
const API = settings.api;
const HOME = `${API}/console`;
const CATALOGUES = settings.catalogues;
const TOKEN = "asb.console.token";
const PENDING = "asb.console.sign-in";

// ------------------------------------------------------------------ building the page
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

const main = () => document.getElementById("main");
const words = (key) => String(key ?? "").replaceAll("_", " ");
const sentence = (key) => { const w = words(key); return w.charAt(0).toUpperCase() + w.slice(1); };

function page(title, ...content) {
  document.title = `${title} – ASB console`;
  main().replaceChildren(h("h1", { id: "page-title" }, title), ...content.filter(Boolean));
}

function notice(text, kind = "info") {
  return h("div", { class: `notice notice--${kind}`, role: kind === "error" ? "alert" : "status" },
    text);
}

// ------------------------------------------------------------------ time, in England's words
const LONDON = { timeZone: "Europe/London" };
function when(value) {
  if (!value) return "–";
  const moment = new Date(value.length === 10 ? `${value}T12:00:00Z` : value);
  if (Number.isNaN(moment.getTime())) return String(value);
  const day = moment.toLocaleDateString("en-GB", { ...LONDON, day: "numeric", month: "short",
    year: "numeric" });
  if (value.length === 10) return day;
  return `${day}, ${moment.toLocaleTimeString("en-GB", { ...LONDON, hour: "2-digit",
    minute: "2-digit" })}`;
}

// The end of a due day (or the due moment), against now: negative is late.
function dueMoment(value) {
  return new Date(value.length === 10 ? `${value}T23:59:59` : value);
}
function daysLeft(value) {
  return Math.floor((dueMoment(value) - Date.now()) / 86_400_000);
}
function timeLeft(value) {
  if (!value) return "–";
  const days = daysLeft(value);
  if (dueMoment(value) < Date.now()) {
    const late = Math.max(1, -days);
    return `${late} day${late === 1 ? "" : "s"} late`;
  }
  if (days === 0) return "due today";
  return `${days} day${days === 1 ? "" : "s"} left`;
}
const isLate = (value) => Boolean(value) && dueMoment(value) < Date.now();
// An enforcement date is on the list before its day (a hearing from the day before, an order's
// end from 28 days before): how late it is counts from the day itself (the API's due_on).
const DATED_WORK = new Set(["HEARING", "AGREEMENT_REVIEW", "ORDER_REVIEW",
  "ABSOLUTE_GROUND_DEADLINE", "NOTICE_LAPSING"]);
const dayOfWork = (t) => (DATED_WORK.has(t.kind) && t.due_on ? t.due_on : t.due_at);

// ------------------------------------------------------------------ signing in
function b64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}
const redirectUri = () => `${location.origin}${HOME}`;

async function startSignIn() {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, back: location.search }));
  const query = new URLSearchParams({
    response_type: "code", client_id: settings.sign_in.client_id, redirect_uri: redirectUri(),
    scope: "openid email profile", state, code_challenge: b64url(new Uint8Array(digest)),
    code_challenge_method: "S256",
  });
  location.assign(`${settings.sign_in.authorize}?${query}`);
}

async function finishSignIn(query) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || "null");
  sessionStorage.removeItem(PENDING);
  if (!pending || pending.state !== query.get("state")) throw new Error("sign-in was not ours");
  const answer = await fetch(settings.sign_in.token, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code", client_id: settings.sign_in.client_id,
      code: query.get("code"), redirect_uri: redirectUri(), code_verifier: pending.verifier,
    }),
  });
  if (!answer.ok) throw new Error("the sign-in service refused the code");
  const tokens = await answer.json();
  localStorage.setItem(TOKEN, tokens.id_token);
  history.replaceState(null, "", `${HOME}${pending.back || ""}`);
}

function claims(token) {
  try {
    const part = token.split(".")[1].replaceAll("-", "+").replaceAll("_", "/");
    return JSON.parse(atob(part));
  } catch {
    return null;
  }
}

function signedIn() {
  // Kept in localStorage until it expires (an hour), so a second tab needs no second sign-in;
  // signing out, or an expired token, removes it (docs/architecture.md says why).
  const token = localStorage.getItem(TOKEN);
  const who = token && claims(token);
  if (!who || who.exp * 1000 < Date.now() + 60_000) {
    localStorage.removeItem(TOKEN);
    return null;
  }
  const groups = who["cognito:groups"] || [];
  return { token, username: who["cognito:username"], team: who["custom:team"],
    roles: Array.isArray(groups) ? groups : String(groups).split(",") };
}

function signOut() {
  localStorage.removeItem(TOKEN);
  const query = new URLSearchParams({ client_id: settings.sign_in.client_id,
    logout_uri: redirectUri() });
  location.assign(`${settings.sign_in.logout}?${query}`);
}

// ------------------------------------------------------------------ the staff API
let staff = null;

async function api(path, { method = "GET", body, version } = {}) {
  const headers = { Authorization: `Bearer ${staff.token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (version !== undefined) headers["If-Match"] = `"${version}"`;
  const answer = await fetch(`${API}${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (answer.status === 401) {
    localStorage.removeItem(TOKEN);
    await startSignIn();
    return new Promise(() => {});
  }
  const text = await answer.text();
  let data = {};
  try { data = text ? JSON.parse(text) : {}; } catch { data = { message: text }; }
  return { status: answer.status, data };
}

async function read(path) {
  const answer = await api(path);
  if (answer.status !== 200) throw new Problem(answer.data.message || "Could not read");
  return answer.data;
}

class Problem extends Error {
  // `errors`: [{field, message}] to show beside a form's fields (writeForm).
  constructor(message, errors = null) { super(message); this.errors = errors; }
}

// ------------------------------------------------------------------ forms
// A field: [name, label, kind, extra]; kinds: text, textarea, lines, date, datetime, number,
// select, radios, checkbox, checkboxes, yesno, rows (rows of fields the officer adds to), file
// (its value the File chosen, for the form's transform to send).
function field(form, spec) {
  const holder = fieldControl(form, spec);
  const only = spec[3]?.only;
  if (only) {
    // Shown only while another field of the form has one of these answers (writeForm).
    holder.dataset.onlyName = only[0];
    holder.dataset.onlyValues = JSON.stringify(only[1]);
  }
  return holder;
}

function fieldControl(form, [name, label, kind, extra = {}]) {
  const id = `${form}-${name.replaceAll(".", "-")}`;
  const hint = extra.hint ? h("span", { class: "hint", id: `${id}-hint` }, extra.hint) : null;
  const error = h("span", { class: "error-message", id: `${id}-error`, hidden: true });
  const described = [extra.hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ");
  const options = typeof extra.options === "function" ? extra.options() : extra.options || {};
  let control;
  if (kind === "rows") return rowsControl(form, [name, label, kind, extra], id, hint, error);
  if (kind === "textarea" || kind === "lines") {
    control = h("textarea", { id, name, rows: kind === "lines" ? 4 : 5,
      "aria-describedby": described });
  } else if (kind === "select") {
    control = h("select", { id, name, "aria-describedby": described },
      h("option", { value: "" }, "Choose…"),
      Object.entries(options).map(([value, text]) => h("option", { value }, text)));
  } else if (kind === "checkbox") {
    return h("div", { class: "field", "data-field": name },
      error,
      h("div", { class: "choice" },
        h("input", { type: "checkbox", id, name, value: "yes", "aria-describedby": described }),
        h("label", { for: id }, label)),
      hint);
  } else if (kind === "radios" || kind === "checkboxes" || kind === "yesno") {
    const choices = kind === "yesno" ? { yes: "Yes", no: "No" } : options;
    const type = kind === "checkboxes" ? "checkbox" : "radio";
    return h("fieldset", { class: "field", "data-field": name, id,
      "aria-describedby": described },
      h("legend", {}, label), hint, error,
      Object.entries(choices).map(([value, text], index) => h("div", { class: "choice" },
        h("input", { type, id: index === 0 ? `${id}-first` : `${id}-${value}`, name, value }),
        h("label", { for: index === 0 ? `${id}-first` : `${id}-${value}` }, text))));
  } else if (kind === "file") {
    control = h("input", { id, name, type: "file", accept: extra.accept || null,
      "aria-describedby": described });
  } else {
    const type = { date: "date", datetime: "datetime-local", number: "number" }[kind] || "text";
    control = h("input", { id, name, type, "aria-describedby": described,
      class: type === "text" ? null : "short" });
  }
  return h("div", { class: "field", "data-field": name },
    h("label", { for: id }, label), hint, error, control);
}

function values(form, fields) {
  const data = new FormData(form);
  const body = {};
  for (const [name, , kind] of fields) {
    if (kind === "rows") { body[name] = rowValues(data, name); continue; }
    if (kind === "file") {
      const file = data.get(name);
      if (file instanceof File && file.size) body[name] = file;
      continue;
    }
    const raw = data.getAll(name).map((v) => String(v).trim());
    const one = raw[0] ?? "";
    if (kind === "checkbox") body[name] = one === "yes";
    else if (kind === "yesno") { if (one) body[name] = one === "yes"; }
    else if (kind === "checkboxes") body[name] = raw;
    else if (kind === "lines") {
      const lines = one.split("\n").map((l) => l.trim()).filter(Boolean);
      if (lines.length) body[name] = lines;
    } else if (kind === "number") { if (one) body[name] = Number(one); }
    else if (kind === "datetime") {
      if (one) body[name] = new Date(one).toISOString();
    } else if (one) body[name] = one;
  }
  return nested(body);
}

// Rows a form can add to (a meeting's actions): each row's fields are named "<name>.<i>.<key>",
// so an error the API names "actions.1.owner" lands beside that row's owner.
function rowsControl(form, [name, label, , extra], id, hint, error) {
  const list = h("div", { class: "rows", id: `${id}-rows` });
  const addRow = () => {
    const index = list.children.length;
    list.append(h("fieldset", { class: "row" },
      h("legend", {}, `${extra.row || "Row"} ${index + 1}`),
      extra.columns.map(([key, text, kind, more]) =>
        fieldControl(form, [`${name}.${index}.${key}`, text, kind, more || {}]))));
    list.lastChild.querySelector("input, select, textarea")?.focus();
  };
  return h("fieldset", { class: "field", "data-field": name, id },
    h("legend", {}, label), hint, error, list,
    h("button", { type: "button", class: "secondary add-row", onclick: addRow },
      extra.add || "Add a row"));
}

// Each row as an object of what was filled in, in the order shown (a row left blank is sent
// blank: the API names what it lacks, by its row).
function rowValues(data, name) {
  const rows = [];
  for (const [key, value] of data.entries()) {
    const match = key.startsWith(`${name}.`) && key.slice(name.length + 1).match(/^(\d+)\.(\w+)$/);
    if (!match) continue;
    const row = (rows[Number(match[1])] ??= {});
    const text = String(value).trim();
    if (text) row[match[2]] = text;
  }
  return Array.from(rows, (row) => row || {});
}

// "agreement.terms" is the terms of the body's agreement: { agreement: { terms } }.
function nested(flat) {
  const body = {};
  for (const [name, value] of Object.entries(flat)) {
    const path = name.split(".");
    let part = body;
    for (const key of path.slice(0, -1)) part = part[key] ??= {};
    part[path[path.length - 1]] = value;
  }
  return body;
}

// GOV.UK's error summary: a list of links to each field, and the message beside the field.
function showErrors(form, message, errors) {
  const summary = form.querySelector(".error-summary");
  for (const old of form.querySelectorAll(".field--error")) old.classList.remove("field--error");
  for (const old of form.querySelectorAll(".error-message")) { old.hidden = true; old.textContent = ""; }
  const items = errors.map((error) => {
    // "roles.0" is the roles field's; "person.name" (a part of the body) the name field's.
    const path = String(error.field || "").split(".");
    const holder = form.querySelector(`[data-field="${CSS.escape(String(error.field || ""))}"]`)
      || form.querySelector(`[data-field="${CSS.escape(path[0])}"]`)
      || form.querySelector(`[data-field="${CSS.escape(path[path.length - 1])}"]`);
    if (holder) {
      holder.classList.add("field--error");
      const text = holder.querySelector(".error-message");
      text.hidden = false;
      text.textContent = error.message;
    }
    const target = holder?.querySelector("input, select, textarea");
    const label = holder?.querySelector("legend, label")?.textContent || sentence(error.field);
    return h("li", {}, target
      ? h("a", { href: `#${target.id}`, onclick: (event) => { event.preventDefault(); target.focus(); } },
        `${label}: ${error.message}`)
      : `${label}: ${error.message}`);
  });
  // replaceChildren writes a null as the word "null": leave the list out instead.
  summary.replaceChildren(h("h3", { class: "error-summary__title" }, "There is a problem"),
    h("p", {}, message), ...(items.length ? [h("ul", {}, items)] : []));
  summary.hidden = false;
  summary.focus();
}

// One staff write: a form that posts JSON at the version read, and says what happened.
function writeForm(spec, context) {
  const id = spec.id;
  const form = h("form", { id: `form-${id}`, novalidate: true, class: "write" },
    h("div", { class: "error-summary", tabindex: "-1", role: "alert", hidden: true }),
    spec.fields.map((f) => field(id, f)),
    h("button", { type: "submit" }, spec.button));
  showOnly(form);
  form.addEventListener("change", () => showOnly(form));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const given = values(form, spec.fields.filter(([name]) =>
        !form.querySelector(`[data-field="${CSS.escape(name)}"]`)?.hidden));
      const body = spec.transform ? await spec.transform(given, context) : given;
      const path = spec.pathFor ? spec.pathFor(body) : spec.path;
      if (spec.pathFor) for (const key of spec.pathKeys || ["report_id"]) delete body[key];
      const answer = await api(path, { method: "POST", body,
        version: await context.version() });
      if (answer.status === 200) {
        await context.done((typeof spec.done === "function" ? spec.done(body, answer.data) : spec.done)
          || `${spec.title}: saved.`);
        return;
      }
      if (answer.status === 412) {
        context.conflict(answer.data.current_version);
        showErrors(form, "Someone else changed this case while you were working on it. "
          + "Your answers are still here. Check the case below has not changed what you "
          + "meant to say, then send again.", []);
        return;
      }
      showErrors(form, answer.data.message || "Some answers need checking",
        answer.data.errors || []);
    } catch (error) {
      if (error instanceof Problem && error.errors) showErrors(form, error.message, error.errors);
      else showErrors(form, "The change could not be sent. Your answers are still here; "
        + "try again in a moment.", []);
    } finally {
      button.disabled = false;
    }
  });
  return h("details", { class: "write-section", id: `write-${id}`, open: spec.open || null },
    h("summary", {}, h("span", { class: "summary-title" }, spec.title)),
    spec.intro ? h("p", { class: "hint" }, spec.intro) : null,
    form, spec.after || null);
}

// A field marked `only` shows while the field it names has one of the answers listed.
function showOnly(form) {
  for (const holder of form.querySelectorAll("[data-only-name]")) {
    const control = form.elements[holder.dataset.onlyName];
    const answer = control?.value ?? "";
    holder.hidden = !JSON.parse(holder.dataset.onlyValues).includes(answer);
  }
}

// ------------------------------------------------------------------ shared tables
// A "stacked" table is a list of cards on a phone: each cell under its heading (data-label).
function table(caption, headings, rows, empty, kind) {
  if (!rows.length) return h("p", { class: "empty" }, empty);
  return h("table", { class: kind },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, headings.map((heading) => h("th", { scope: "col" }, heading)))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((cell, index) =>
      h(index === 0 ? "th" : "td", { scope: index === 0 ? "row" : null,
        "data-label": headings[index] }, cell))))));
}

const caseLink = (reference) => h("a", { href: `${HOME}?case=${encodeURIComponent(reference)}` },
  reference);
// What is happening and where, to triage by: the list's behaviours (code and words) and place.
const listedBehaviours = (item) => (item.behaviours || []).map((b) => b.label).join(", ") || "–";
const listedPlace = (item) => [item.place?.area, item.place?.postcode || item.postcode]
  .filter(Boolean).join(", ") || "No postcode";
const tag = (text, kind) => h("strong", { class: `tag tag--${kind}` }, text);

function categoryTag(item) {
  // A good-neighbour request is not an ASB case: no category, never "not triaged" (issue 23).
  if (item.pathway === "good_neighbour") return [tag("Good neighbour (not ASB)", "blue")];
  return [item.emergency ? tag("Emergency", "red") : null,
    item.category ? tag(`Category ${item.category}`, item.category === "A" ? "orange" : "grey")
      : tag("Not triaged", "grey"),
    // Its own pathway (issue 23): marked wherever the case is listed or opened.
    item.pathway === "domestic_abuse" ? tag("Domestic abuse", "red") : null];
}

// Managers and the intake team assign cases (the API says the same).
const mayAssign = () => staff.roles.includes("manager") || staff.team === CATALOGUES.intake_team;

// ------------------------------------------------------------------ my work
const DUE_KINDS = {
  FIRST_CONTACT: "First contacts overdue",
  CUSTOMER_CONTACT: "Contacts overdue",
  PLAN_REVIEW: "Reviews overdue",
  WITNESS_CONTACT: "Witness contacts overdue",
};

// A listed case carries its targets, not the whole case: first contact made shows in both.
const madeFirstContact = (item) => item.first_contact_at || item.targets?.first_contact_made || null;

function nearestDue(item) {
  const targets = item.targets || {};
  const dates = [madeFirstContact(item) ? null : targets.first_contact_due,
    targets.next_contact_due, targets.review_due].filter(Boolean).sort();
  return dates[0] || null;
}

function urgency(item) {
  // Emergencies first, then category A, then whatever is late or due soonest.
  const due = nearestDue(item);
  return [item.emergency ? 0 : 1, item.category === "A" ? 0 : 1,
    due ? dueMoment(due).getTime() : Number.MAX_SAFE_INTEGER,
    -new Date(item.opened_at || item.updated_at || 0).getTime()];
}
const byKey = (key) => (a, b) => {
  const x = key(a); const y = key(b);
  for (let i = 0; i < x.length; i += 1) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
};
const SORTS = {
  urgent: ["Most urgent first", byKey(urgency)],
  due: ["Due soonest", byKey((c) => [nearestDue(c) ? dueMoment(nearestDue(c)).getTime() : Infinity])],
  updated: ["Recently updated", byKey((c) => [-new Date(c.updated_at || 0).getTime()])],
};

async function myWork(query) {
  const manager = staff.roles.includes("manager") || staff.roles.includes("dpo");
  const scope = query.get("scope") || (manager ? "team" : "mine");
  const team = query.get("team") || "";
  const listing = new URLSearchParams({ view: scope, limit: "100" });
  const overdueQuery = new URLSearchParams({ overdue: "true", limit: "100" });
  if (team && manager) { listing.set("team", team); overdueQuery.set("team", team); }
  const queueQuery = new URLSearchParams({ unassigned: "true", limit: "100" });
  if (team && manager) queueQuery.set("team", team);
  const [cases, overdue, queue] = await Promise.all([read(`/cases?${listing}`),
    read(`/cases?${overdueQuery}`), mayAssign() ? read(`/cases?${queueQuery}`) : null]);
  const status = query.get("status") || "open";
  const category = query.get("category") || "";
  const emergencyOnly = query.get("emergency") === "yes";
  const sort = SORTS[query.get("sort")] ? query.get("sort") : "urgent";
  const mineOnly = scope === "mine";
  const tasks = (overdue.overdue || []).filter((t) => !mineOnly || t.officer === staff.username);
  const all = cases.cases || [];
  const shown = all
    .filter((c) => (status === "open" ? c.status !== "closed" : !status || c.status === status))
    .filter((c) => !category || c.category === category)
    .filter((c) => !emergencyOnly || c.emergency)
    .sort(SORTS[sort][1]);
  const open = all.filter((c) => c.status !== "closed");
  const counted = (kind) => tasks.filter((t) => (t.kind || t.due_kind) === kind).length;
  // Due within the week ahead, not yet late: what to plan for, beside what is already overdue.
  const dueSoon = (date) => Boolean(date) && !isLate(date) && daysLeft(date) <= 7;
  const counts = [
    ["Open cases", open.length],
    ["Open emergencies", open.filter((c) => c.emergency).length],
    ...Object.entries(DUE_KINDS).map(([kind, label]) => [label, counted(kind)]),
    ["Contacts due this week", open.filter((c) => dueSoon(madeFirstContact(c)
      ? c.targets?.next_contact_due : c.targets?.first_contact_due)).length],
    ["Reviews due this week", open.filter((c) => dueSoon(c.targets?.review_due)).length],
  ];
  const title = manager ? (team ? `Work of the ${team} team` : "Work across every team")
    : mineOnly ? "My work" : "My team's work";
  page(title,
    h("ul", { class: "counts", "aria-label": "Counts" }, counts.map(([label, count]) =>
      h("li", { class: count && /overdue|emergenc/i.test(label) ? "count count--alert" : "count" },
        h("span", { class: "count__number" }, String(count)), h("span", {}, label)))),
    filters(query, { manager, scope, team, status, category, emergencyOnly, sort }),
    queue ? assignmentQueue(queue.cases || []) : null,
    h("h2", {}, "Cases"),
    table(`${shown.length} case${shown.length === 1 ? "" : "s"}, ${SORTS[sort][0].toLowerCase()}`,
      ["Case", "Priority", "Behaviour", "Where", "Status", "Officer", "First contact",
        "Next contact", "Review", "Next due"],
      shown.map((c) => [caseLink(c.reference), h("span", {}, categoryTag(c)), listedBehaviours(c),
        listedPlace(c), sentence(c.status), c.officer || "–",
        madeFirstContact(c) ? `Made ${when(madeFirstContact(c))}` : when(c.targets?.first_contact_due),
        when(c.targets?.next_contact_due), when(c.targets?.review_due),
        h("span", { class: isLate(nearestDue(c)) ? "late" : "" }, timeLeft(nearestDue(c)))]),
      "No cases match.", "stacked"),
    h("h2", {}, "Work due and overdue"),
    table(`${tasks.filter((t) => t.overdue !== false).length} overdue, ${tasks.filter((t) => t.overdue === false).length} due now`,
      ["Case", "What", "Officer", "Was due", "Late by"],
      tasks.sort(byKey((t) => [t.due_at || ""])).map((t) => [caseLink(t.case_reference),
        t.title || sentence(t.kind), t.officer || "–", when(dayOfWork(t)),
        // A hearing tomorrow is work due now, not late (the API says overdue: false).
        t.overdue === false ? "Due now" : h("span", { class: "late" }, timeLeft(dayOfWork(t)))]),
      "Nothing is overdue."));
}

// Open cases no officer has (a report with no postcode goes to central intake): assign each
// from its page.
function assignmentQueue(waiting) {
  return h("section", { id: "assignment-queue", "aria-labelledby": "queue-title" },
    h("h2", { id: "queue-title" }, `Waiting for an officer (${waiting.length})`),
    table(`${waiting.length} case${waiting.length === 1 ? "" : "s"} with no officer, most urgent first`,
      ["Case", "Priority", "Behaviour", "Where", "Team", "Opened", "First contact due"],
      [...waiting].sort(byKey(urgency)).map((c) => [caseLink(c.reference), h("span", {}, categoryTag(c)),
        listedBehaviours(c), listedPlace(c), c.team || "–", when(c.opened_at),
        h("span", { class: isLate(c.targets?.first_contact_due) ? "late" : "" },
          `${when(c.targets?.first_contact_due)} (${timeLeft(c.targets?.first_contact_due)})`)]),
      "Every open case has an officer.", "stacked"));
}

function filters(query, state) {
  const select = (name, label, options, current) => h("div", { class: "filter" },
    h("label", { for: `filter-${name}` }, label),
    h("select", { id: `filter-${name}`, name }, Object.entries(options).map(([value, text]) =>
      h("option", { value, selected: value === current }, text))));
  return h("form", { class: "filters", method: "get", action: HOME, "aria-label": "Filter and sort" },
    state.manager
      ? select("team", "Team", { "": "Every team",
        ...Object.fromEntries(CATALOGUES.teams.map((t) => [t, t])) }, state.team)
      : select("scope", "Whose", { mine: "Mine", team: "My team's" }, state.scope),
    select("status", "Status", { open: "Open (not closed)", "": "Any", new: "New",
      triaged: "Triaged", closed: "Closed" }, state.status),
    select("category", "Category", { "": "Any", A: "A", B: "B", C: "C" }, state.category),
    h("div", { class: "filter choice" },
      h("input", { type: "checkbox", id: "filter-emergency", name: "emergency", value: "yes",
        checked: state.emergencyOnly }),
      h("label", { for: "filter-emergency" }, "Emergencies only")),
    select("sort", "Sort", Object.fromEntries(Object.entries(SORTS).map(([k, [t]]) => [k, t])),
      state.sort),
    h("button", { type: "submit", class: "secondary" }, "Apply"));
}

// ------------------------------------------------------------------ one case
function describe(entry) {
  const d = entry.detail || {};
  const say = {
    report: () => `Report ${d.reference || d.case_reference || ""} received${d.channel ? ` by ${words(d.channel)}` : ""}`,
    diary: () => `${d.kind === "further_report" ? "Further report"
      : d.kind === "reporter_diary" ? `Reporter's diary, ${d.occurred_on}${d.occurred_at ? ` ${d.occurred_at}` : ""}`
        + `${d.lasted_minutes ? ` (${d.lasted_minutes} minutes)` : ""}` : "Diary entry"}: ${d.text ?? ""}`
      + `${d.effect ? ` Effect: ${d.effect}` : ""}`,
    evidence: () => (d.kind === "statement"
      ? `Signed statement file attached by ${d.uploaded_by}: ${d.status}${d.reason ? ` (${d.reason})` : ""}`
      : `${sentence(d.kind)} file from the reporter: ${d.status}`)
      + `${d.content_type ? ` (${d.content_type})` : ""}${d.reason ? `. ${d.reason}` : ""}`,
    contact: () => `Contact by ${words(d.channel)} with the ${words(d.with_whom)}: ${d.summary ?? ""}`,
    action_plan: () => `Action plan agreed${d.customer_agreed === false ? " (not yet agreed by the customer)" : ""}: `
      + `we will ${(d.landlord_actions || []).join("; ")}. The customer will ${(d.customer_actions || []).join("; ")}.`,
    tool_or_power: () => `${d.name || words(d.measure)}: ${words(d.status)}`
      + `${d.legal ? `, approval ${words(d.approval)}` : ""}. ${d.rationale ?? ""}`,
    referral: () => `Referral to ${words(d.service)} for the ${words(d.subject)}`,
    case_review: () => `ASB Case Review: ${words(d.status || d.stage || "")}`,
    survey: () => "Satisfaction survey recorded",
    task: () => `${d.title || words(d.kind)}${d.due_at ? `, due ${when(d.due_at)}` : ""}`,
    notification: () => `${sentence(d.template || d.kind || "message")} to the customer by `
      + `${words(d.channel)}: ${words(d.status)}`,
    disclosure: () => `${d.kind === "case_review_referral" ? "ASB Case Review referral to"
      : `Request to ${d.kind === "referral" ? "refer to" : "share with"}`} `
      + `${d.partner_name || d.partner_id}: ${words(d.status)}`,
    disclosure_log: () => `Disclosure log: ${words(d.event || d.action || "")}`,
    audit: () => `${sentence(camelWords(d.action || d.event || "change"))}`
      + `${d.action === "CaseAssigned" ? ` to ${d.after?.officer || `the ${d.after?.team} team's queue`}` : ""}`
      + ` by ${actorWords(d.by || d.actor)}`,
  }[entry.kind];
  return say ? say() : sentence(entry.kind);
}

// "CaseAssigned" -> "case assigned"; "staff:m.jones" -> "m.jones".
const camelWords = (name) => String(name).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
const actorWords = (actor) => {
  const [kind, who] = String(actor || "system:").split(":");
  return kind === "staff" ? who : kind === "reporter" ? "the reporter" : `the system${who ? ` (${who})` : ""}`;
};

function summaryList(rows) {
  return h("dl", { class: "summary-list" }, rows.filter(Boolean).map(([key, value]) =>
    h("div", { class: "summary-list__row" }, h("dt", {}, key), h("dd", {}, value))));
}

// A reason is words, or a risk answer: its question, its points and where the answer came from
// (a repeat victim's reason has no points: it raised the level itself, and says so in words).
const reasonText = (r) => (typeof r === "string" ? r
  : `${r.text || sentence(r.question)}${r.points !== undefined ? ` (${r.points} points` : ""}`
    + `${r.points === undefined ? "" : r.source ? `, from the ${words(r.source)})` : ")"}`);
const reasons = (list) => (list && list.length
  ? h("ul", { class: "reasons" }, list.map((r) => h("li", {}, reasonText(r)))) : null);

function caseSummary(c) {
  const risk = c.risk || {};
  const targets = c.targets || {};
  const due = (label, value, done) => [label, done ? `Done${done === true ? "" : ` ${when(done)}`}`
    : h("span", {}, `${when(value)} `, h("span", { class: isLate(value) ? "late" : "hint-inline" },
      `(${timeLeft(value)})`))];
  return summaryList([
    ["Status", sentence(c.status)],
    ["Pathway", CATALOGUES.pathways?.[c.pathway || "asb"] || sentence(c.pathway || "asb")],
    ["Category", h("div", {}, c.category ? `Category ${c.category}` : "Not yet triaged",
      reasons(c.category_reasons))],
    ["Emergency", h("div", {}, c.emergency ? "Yes – immediate response" : "No",
      reasons(c.emergency_reasons))],
    ["Risk", h("div", {}, risk.level ? `${sentence(risk.level)}${risk.score !== undefined ? ` (score ${risk.score})` : ""}` : "Not assessed",
      reasons(risk.reasons || risk.factors))],
    due("First contact", targets.first_contact_due, c.first_contact_at),
    due("Next contact", targets.next_contact_due),
    due("Review", targets.review_due),
    ["Officer", `${c.officer || "Unassigned"} (${c.team || "no team"})`],
    ["Where", [c.location_address, c.postcode].filter(Boolean).join(", ") || "–"],
    c.address_to_check ? ["Address to check", h("div", { id: "address-to-check" },
      "The reporter says a home involved is ours but could not find it in our list: check the address before you act.")] : null,
    ["Behaviour", (c.behaviours || []).map(behaviourWords).join(", ") || "–"],
    c.hate_incident ? ["Hate incident", c.hate_finding
      ? `Yes – found by ${c.hate_finding.by} on ${when(c.hate_finding.at)}` : "Yes – as reported"] : null,
    ["Reports", String(c.report_count ?? 1)],
    c.split_from ? ["Split out of", caseLink(c.split_from)] : null,
    c.joined_into ? ["Joined into", caseLink(c.joined_into)] : null,
    c.joined_from?.length ? ["Joined from", h("span", {}, c.joined_from.map(caseLink))] : null,
    (c.action_plans || []).length > 1 ? ["Action plans", `${c.action_plans.length}: each complainant's own, sent and shown to them only`] : null,
    c.reporters_cannot_be_reached?.length ? ["Reporter cannot be reached", h("div", { id: "cannot-be-reached" },
      `${c.reporters_cannot_be_reached.map((r) => `${r.reference} (${r.why})`).join("; ")}: nothing we send reaches them, so do not wait for a reply. They can follow the report only through its link, or by phoning us.`)] : null,
    ["Opened", when(c.opened_at)],
    c.closed_at ? ["Closed", `${when(c.closed_at)}: ${words(c.outcome)}`] : null,
    // The landlord's policy its last triage decided by (issue 24): category, risk, targets.
    c.policy_version ? ["Decided under policy", h("span", { id: "policy-version" }, c.policy_version)] : null,
  ]);
}

const behaviourWords = (key) => CATALOGUES.behaviours?.[key] || sentence(key);
const channelWords = (key) => CATALOGUES.contact_channels?.[key] || sentence(key);
const yesNo = (value) => (value ? "Yes" : "No");
const clock = (value) => String(value || "").slice(0, 5);

// What one reporter told us, in their words: each report under its own reference.
function reportAnswers(entry, people) {
  const d = entry.detail || {};
  const s = d.submission || {};
  const incident = s.incident || {};
  const reporter = s.reporter || null;
  const perpetrator = s.perpetrator || {};
  const who = people.find((p) => p.report_id === d.report_id && p.role === "reporter");
  const safeHours = reporter && (reporter.safe_from || reporter.safe_until)
    ? `Between ${clock(reporter.safe_from) || "any time"} and ${clock(reporter.safe_until) || "any time"}` : null;
  const adjustments = reporter ? [reporter.reasonable_adjustments,
    reporter.large_print ? "Letters in large print" : null,
    reporter.interpreter ? "Needs an interpreter for calls and visits" : null,
    reporter.supporter ? `Copy in their supporter ${reporter.supporter.name} (${reporter.supporter.relationship})` : null,
  ].filter(Boolean).map((text) => String(text).replace(/\.+$/, "")).join(". ") : "";
  const reference = d.reference || d.case_reference;
  return h("section", { class: "report-answers", "aria-labelledby": `report-${d.report_id}` },
    h("h3", { id: `report-${d.report_id}` }, `Report ${reference}`,
      h("span", { class: "hint-inline" }, ` – ${who?.name || "anonymous"}, ${when(entry.at)}`)),
    summaryList([
      ["What happened", h("p", { class: "words" }, incident.description || "–")],
      ["Behaviour", (incident.behaviours || []).map(behaviourWords).join(", ") || "–"],
      ["First happened", when(incident.first_occurred)],
      ["Last happened", when(incident.last_occurred)],
      ["Still happening", yesNo(incident.ongoing)],
      s.location?.details ? ["Where exactly", s.location.details] : null,
      (s.harm?.targeted_for_identity || []).length ? ["Targeted because of",
        s.harm.targeted_for_identity.map((k) => CATALOGUES.hate_strands?.[k] || sentence(k)).join(", ")] : null,
      perpetrator.description ? ["About the person", perpetrator.description] : null,
      ...(reporter ? [
        ["Relationship", CATALOGUES.relationships?.[reporter.relationship] || sentence(reporter.relationship)],
        ["Preferred contact", reporter.preferred_contact ? channelWords(reporter.preferred_contact) : "No preference given"],
        ["Never contact by", (reporter.unsafe_channels || []).map(channelWords).join(", ") || "None given"],
        ["Safe times", [reporter.safe_contact_times, safeHours].filter(Boolean).join(". ") || "Any time"],
        ["Adjustments", adjustments || "None asked for"],
        ["Language", reporter.language || "English"],
      ] : [["Reporter", "Anonymous: we must not contact them"]]),
      ["Agrees to sharing", yesNo(s.consent_to_share)],
    ]));
}

function reportsTold(view) {
  const reports = view.timeline.filter((e) => e.kind === "report");
  if (!reports.length) return h("p", { class: "empty" }, "No report is held on this case.");
  return h("div", {}, reports.map((entry) => reportAnswers(entry, view.people)));
}

function peopleTable(people) {
  return table("People involved", ["Role", "Name", "Contact", "Address"],
    people.map((p) => [sentence(p.role), p.name || (p.role === "reporter" ? "Anonymous" : "Not known"),
      [p.email, p.phone].filter(Boolean).join(", ") || "–",
      [p.address, p.postcode, p.tenancy ? `tenancy ${p.tenancy}` : null].filter(Boolean).join(", ") || "–"]),
    "No one is named on this case.");
}

// The landlord's policy an entry was decided or set by, beside it where it is not the policy the
// case's summary names (its last triage's): an officer sees which rules made an older decision
// or target. An entry from before versions were recorded has none, and shows none.
function policyTag(entry, casePolicy) {
  const used = entry.detail?.policy_version;
  return used && used !== casePolicy
    ? h("span", { class: "tag tag--grey policy-tag", title: "The landlord's policy version it was made under" },
      `policy ${used}`) : null;
}

function timelineList(entries, casePolicy) {
  const newest = [...entries].sort((a, b) => String(b.at).localeCompare(String(a.at)));
  return h("ol", { class: "timeline", reversed: true }, newest.map((entry) =>
    h("li", { class: `timeline__item timeline__item--${entry.kind}` },
      h("p", { class: "timeline__when" }, h("time", { datetime: entry.at }, when(entry.at)),
        " · ", sentence(entry.kind), " ", policyTag(entry, casePolicy)),
      h("p", {}, describe(entry)),
      entry.kind === "evidence" && entry.detail.status === "checked" ? openFile(entry.detail) : null)));
}

// The timeline shows the newest 200 audit entries; the rest come a page at a time, on request.
function olderAudit(reference, cursor, casePolicy) {
  const holder = h("div", { class: "older-audit" });
  const more = (from) => h("button", { type: "button", class: "secondary", onclick: async (event) => {
    event.target.disabled = true;
    try {
      const page = await read(`/cases/${encodeURIComponent(reference)}/audit?limit=100&cursor=${encodeURIComponent(from)}`);
      event.target.replaceWith(timelineList(page.entries, casePolicy), ...(page.cursor ? [more(page.cursor)] : []));
    } catch (problem) {
      event.target.disabled = false;
      holder.querySelector(".error")?.remove();
      event.target.after(h("p", { class: "error", role: "alert" }, problem.message));
    }
  } }, "Show older audit entries");
  holder.append(h("p", { class: "hint" }, "Older audit entries (who read or changed the case, and when) are not shown above."), more(cursor));
  return holder;
}

const options = (entries) => Object.fromEntries(entries);

// A reporter's checked file: the API answers with a link valid for five minutes (and audits it).
function openFile(evidence) {
  const reference = new URLSearchParams(location.search).get("case");
  return h("button", { type: "button", class: "secondary open-file", onclick: async () => {
    const link = await read(`/cases/${encodeURIComponent(reference)}/evidence/${evidence.record_id}`);
    window.open(link.url, "_blank", "noopener");
  } }, `Open the ${words(evidence.kind)} file`);
}

// The ASB Case Review, step by step: the forms of the steps the review's status allows next.
const REVIEW_FINAL = ["threshold not met", "completed"];

function caseReviewWrites(ref, view, reporters) {
  const reviews = view.timeline.filter((e) => e.kind === "case_review").map((e) => e.detail);
  const base = (r) => `/cases/${ref}/case-reviews/${r.review_id}`;
  const step = (r, name, title, button, fields, extra = {}) => ({ id: `review-${name}-${r.review_id}`,
    title: `ASB Case Review: ${title}`, button, path: `${base(r)}/${name}`, fields,
    intro: `Received ${when(r.received_on)}; now: ${r.status}.`, ...extra });
  const decide = (r) => step(r, "threshold-decision", "decide whether the threshold is met",
    "Save the decision", [["met", "Is the threshold met?", "yesno"],
      ["reasons", "Reasons", "textarea", { hint: "The applicant is told these, and how to ask us to look again" }]],
    { done: (body) => `Threshold decision recorded: ${body.met ? "met" : "not met"}. The applicant will be told.` });
  const next = {
    applied: (r) => [step(r, "acknowledgement", "acknowledge the application", "Acknowledge",
      [["acknowledged_on", "Acknowledged on", "date"], ["note", "Note", "textarea"]],
    { done: "Application acknowledged. The applicant will be told." }), decide(r)],
    acknowledged: (r) => [decide(r)],
    "threshold met": (r) => [step(r, "meeting", "record the review meeting", "Record the meeting",
      [["held_on", "Held on", "date"], ["agencies", "Agencies present", "lines", { hint: "One on each line" }],
        ["summary", "What was discussed", "textarea"]])],
    "review held": (r) => [step(r, "recommendations", "record the recommendations", "Save the recommendations",
      [["recommendations", "Recommendations", "lines",
        { hint: "One on each line: the action, then | and the agency that will do it. Leave empty if none." }]],
      { transform: (body) => ({ recommendations: (body.recommendations || []).map((line) => {
        const [action, owner] = line.split("|").map((part) => part.trim());
        return { action, owner: owner || "" };
      }) }) }), outcome(r)],
    "recommendations made": (r) => [outcome(r)],
    "threshold not met": (r) => [appeal(r)],
    completed: (r) => [appeal(r)],
    appealed: (r) => [step(r, "appeal-decision", "decide the appeal", "Save the decision",
      [["upheld", "Is the appeal upheld?", "yesno"], ["reasons", "Reasons", "textarea"]])],
  };
  function outcome(r) {
    return step(r, "outcome", "record the outcome", "Record the outcome",
      [["summary", "The outcome, as the applicant will read it", "textarea"]],
      { done: "Outcome recorded. The applicant will be told." });
  }
  function appeal(r) {
    return step(r, "appeal", "record an appeal", "Record the appeal",
      [["received_on", "Received on", "date"], ["grounds", "Grounds", "textarea"]]);
  }
  const open = reviews.filter((r) => !REVIEW_FINAL.includes(r.status));
  const setting = CATALOGUES.case_review || {};
  const application = open.length ? [] : [{ id: "review-application", title: "ASB Case Review: record an application",
    button: "Record the application", path: `/cases/${ref}/case-reviews`,
    intro: setting.lead_body ? "Within 6 months of a complaint. We run the review: the applicant is told each step."
      : `Within 6 months of a complaint. ${setting.point_of_contact} runs the review: the application is referred to them at once with the case history (a manager or the DPO approves the referral today), and the applicant is told who runs it and when to expect an answer.`,
    fields: [["received_on", "Received on", "date"],
      ["applicant", "Who applied", "radios", { options: { victim: "The victim", "someone with the victim's consent": "Someone with the victim's consent" } }],
      ...(reporters.length ? [["report_id", "The victim's report", "radios", { hint: "Leave blank for the first report",
        options: options(reporters.map((p) => [p.report_id, `${p.name} (${p.reference || "report"})`])) }]] : []),
      ["summary", "What they ask us to look at again", "textarea"]],
    done: setting.lead_body ? "Application recorded. Acknowledge it within 10 working days."
      : `Application recorded. Its referral to ${setting.point_of_contact} goes to a manager or the DPO to approve today (if it cannot be made yet, it waits in your due work: see below). The applicant will be told.` }];
  return [...application, ...reviews.flatMap((r) => (r.run_by ? participantSteps(r, step, ref, view)
    : (next[r.status] || (() => []))(r)))];
}

// As a participant: what the lead body tells us - its meeting, the recommendations made to us
// (each with its due date: due work until done), what we did about each, and its outcome.
function participantSteps(r, step, ref, view) {
  const lead = r.run_by.name;
  const meeting = step(r, "meeting", `record ${lead}'s review meeting`, "Record the meeting",
    [["held_on", "Held on", "date"], ["agencies", "Who attended", "lines", { hint: "One agency on each line" }],
      ["landlord_attended", "Did we attend?", "yesno"], ["summary", "What was discussed", "textarea"]],
    { done: "Meeting recorded. Record the recommendations made to us when they come." });
  const recommendations = step(r, "recommendations", "record the recommendations made to us",
    "Save the recommendations", [["recommendations", "Recommendations made to us", "rows", {
      row: "Recommendation", add: "Add a recommendation", columns: [
        ["action", "What we are to do", "text"], ["due_on", "Due on", "date"]] }]],
    { done: "Recommendations recorded. Each is in your due work until you record it done.",
      transform: (body) => ({ recommendations: body.recommendations || [] }) });
  const outcome = step(r, "outcome", `record ${lead}'s outcome`, "Record the outcome",
    [["summary", "The outcome, as they told us", "textarea"],
      ["told_on", "They told us on", "date", { hint: "Leave blank for today" }]],
    { done: `Outcome recorded. ${lead} tells the applicant.` });
  const responses = (Array.isArray(r.recommendations) ? r.recommendations : [])
    .filter((rec) => rec.recommendation_id && !rec.done_on).map((rec) => ({
      id: `review-response-${rec.recommendation_id}`, title: `ASB Case Review recommendation: ${rec.action}`,
      button: "Record what we did",
      path: `/cases/${ref}/case-reviews/${r.review_id}/recommendations/${rec.recommendation_id}/responses`,
      intro: `Due ${when(rec.due_on)}${isLate(rec.due_on) ? ", late" : ""}. Made by ${lead}.`,
      done: (body) => (body.done ? "Recorded as done: it is no longer in your due work." : "Recorded. It stays in your due work until done."),
      fields: [["what_we_did", "What we did", "textarea"], ["on", "On", "date"],
        ["done", "Is it done?", "yesno"]] }));
  const referral = view.timeline.map((e) => e.detail || {})
    .find((d) => d.disclosure_id && d.disclosure_id === r.referral_id) || {};
  // Refused, or not made yet (the point of contact was not in the registry or its agreement did
  // not cover it when the application came): the officer makes it once it can be made.
  const again = referral.status === "refused" || !r.referral_id ? [step(r, "referral",
    r.referral_id ? `refer it to ${lead} again` : `refer it to ${lead}`, "Send for approval",
    [["reason", "What was put right", "textarea",
      { hint: r.referral_id ? `The referral was refused: ${referral.reason || "see the timeline"}`
        : "The referral could not be made when the application came: see the timeline" }]],
    { done: "Referred again: a manager or the DPO approves it today." })] : [];
  return {
    referred: [...again, meeting, outcome],
    "review held": [recommendations, outcome],
    "recommendations made": [...responses, outcome],
    completed: responses,
  }[r.status] || [];
}

// Each review of the case: who runs it (us, or the lead body it was referred to), the referral
// and where it stands, the meeting, the recommendations made to us with their due dates and
// what we did about each, and the outcome.
function caseReviewsList(view) {
  const reviews = view.timeline.filter((e) => e.kind === "case_review").map((e) => e.detail);
  if (!reviews.length) return h("p", { class: "empty" }, "No ASB Case Review has been applied for on this case.");
  const details = view.timeline.map((e) => e.detail || {});
  return h("div", {}, reviews.map((r) => {
    const referral = details.find((d) => d.disclosure_id && d.disclosure_id === r.referral_id);
    const meeting = r.meeting && typeof r.meeting === "object" ? r.meeting : null;
    const outcome = r.outcome && typeof r.outcome === "object" ? r.outcome : null;
    const made = Array.isArray(r.recommendations) ? r.recommendations : [];
    return h("section", { class: "case-review", id: `case-review-${r.review_id}` },
      h("h3", {}, `Applied for on ${when(r.received_on)}: ${r.status}`),
      h("p", { class: "review-run-by" }, r.run_by
        ? `Run by ${r.run_by.name} (${r.run_by.how_to_reach}): we take part, they decide and tell the applicant.`
        : "We run this review as the lead body."),
      r.run_by ? h("p", { class: "review-referral" }, r.referral_id ? referralWords(referral, r.run_by.name)
        : `Not referred to ${r.run_by.name} yet: the point of contact is not in the partner registry, or its agreement does not cover the referral. Refer it once it does (it is in your due work).`) : null,
      meeting ? h("p", { class: "review-meeting" }, `Meeting on ${when(meeting.held_on)} with ${meeting.agencies.join(", ")}`
        + `${meeting.landlord_attended === true ? "; we attended" : meeting.landlord_attended === false ? "; we did not attend" : ""}. ${meeting.summary}`) : null,
      made.length && r.run_by ? table("Recommendations made to us",
        ["What", "Due", "What we did", "Where it stands"],
        made.map((rec) => [rec.action, rec.due_on ? when(rec.due_on) : "–",
          (rec.responses || []).map((x) => `${when(x.on)}: ${x.what_we_did}`).join(" ") || "Nothing yet",
          rec.done_on ? `Done ${when(rec.done_on)}` : rec.due_on && isLate(rec.due_on) ? tag("Late", "red") : "Open"]),
        "", "stacked") : null,
      made.length && !r.run_by ? table("Recommendations", ["What", "The agency that will do it"],
        made.map((rec) => [rec.action, rec.owner || "–"]), "", "stacked") : null,
      outcome ? h("p", { class: "review-outcome" }, `Outcome${outcome.told_on ? `, as ${r.run_by?.name || "we"} told us on ${when(outcome.told_on)}` : ""}: ${outcome.summary}`) : null);
  }));
}

function referralWords(referral, lead) {
  if (!referral) return `Referred to ${lead}.`;
  const due = referral.due_at ? ` Due ${when(referral.due_at)}.` : "";
  return {
    requested: `The referral to ${lead} waits for a manager's or the DPO's approval.${due}`,
    approved: `The referral to ${lead} is approved and on its way.`,
    sent: `The referral was sent to ${lead} ${when(referral.sent_at)}.`,
    acknowledged: `${lead} acknowledged the referral ${when(referral.acknowledged_at)}.`,
    refused: `The referral was refused: ${referral.reason || "see the timeline"}.`,
  }[referral.status] || `The referral to ${lead}: ${words(referral.status)}.`;
}

function surveyWrite(ref, reporters) {
  return { id: "survey", title: "Record a satisfaction survey answer", button: "Record the answer",
    path: `/cases/${ref}/satisfaction-survey`,
    intro: "How satisfied the person is with how we handled their case: one answer per person.",
    done: "Survey answer recorded.",
    fields: [["answer", "Their answer", "radios", { options: options(CATALOGUES.satisfaction_answers.map((a) => [a, sentence(a)])) }],
      ["answered_on", "Answered on", "date"],
      ["channel", "How they answered", "select", { options: { phone: "Phone", email: "Email", letter: "Letter", sms: "Text message", visit: "Visit", online: "Online" } }],
      ...(reporters.length ? [["report_id", "Who answered", "radios", { hint: "Leave blank for the first reporter",
        options: options(reporters.map((p) => [p.report_id, `${p.name} (${p.reference || "report"})`])) }]] : []),
      ["comments", "Their comments", "textarea"]] };
}

function caseWrites(c, view, partners) {
  const ref = encodeURIComponent(c.reference);
  const measures = view.timeline.filter((e) => e.kind === "tool_or_power").map((e) => e.detail);
  const manager = staff.roles.includes("manager");
  const plan = c.action_plan || {};
  const reporters = view.people.filter((p) => p.role === "reporter");
  const writes = [
    ...((c.status === "closed" ? manager : mayAssign()) ? [{ id: "assignment",
      title: c.status === "closed" ? "Give the closed case's open work to an officer"
        : c.officer ? "Reassign the case" : "Assign the case", button: "Assign",
      path: `/cases/${ref}/assignment`,
      intro: `Now: ${c.officer || "no officer"} (${c.team || "no team"}). The officer you choose is told by email.`
        + (c.status === "closed" ? " The case stays closed; what is still open on it (an order's review, an ASB Case Review's steps, a request to share) goes to them." : ""),
      done: (body) => (body.officer ? `Case assigned to ${body.officer}. They have been told by email.`
        : `Case put on the ${body.team} team's queue.`),
      fields: [["officer", "Officer", "select", { hint: c.status === "closed" ? "The officer of the case's team who takes its open work"
        : "Leave at \u201cChoose\u2026\u201d to put the case on the team's queue",
        options: options(Object.entries(CATALOGUES.officers || {}).map(([name, team]) => [name, `${name} (${team})`])) }],
      ["team", "Team", "select", { options: options(CATALOGUES.teams.map((t) => [t, t])) }],
      ["reason", "Why", "textarea", { hint: "Optional. It is kept in the audit trail." }]] }] : []),
    { id: "diary", title: "Add a diary entry", button: "Add the entry", path: `/cases/${ref}/diary-entries`,
      fields: [["kind", "What is it?", "radios", { options: { diary: "A diary entry", further_report: "A further report of the behaviour" } }],
        ["occurred_at", "When did it happen?", "datetime", { hint: "Leave blank if it is about now" }],
        ["text", "What happened", "textarea"]] },
    { id: "contact", title: "Record a contact", button: "Record the contact", path: `/cases/${ref}/contacts`,
      done: "Contact recorded. The next contact date has moved.",
      fields: [["channel", "How", "select", { options: { phone: "Phone", email: "Email", sms: "Text message", letter: "Letter", visit: "Visit", meeting: "Meeting" } }],
        ["with_whom", "With whom", "radios", { options: { reporter: "The reporter", perpetrator: "The alleged perpetrator", witness: "A witness", agency: "An agency" } }],
        // A contact naming the witness moves their own contact schedule on.
        ...(activeWitnesses(view).length ? [["party_id", "Which witness", "select", {
          only: ["with_whom", ["witness"]],
          options: options(activeWitnesses(view).map((w) =>
            [w.party_id, partyName(partyOf(view, w.party_id) || {})])) }]] : []),
        ["summary", "What was said or agreed", "textarea"]] },
    { id: "action-plan", title: plan.landlord_actions ? "Change the action plan" : "Agree the action plan",
      button: "Save the action plan", path: `/cases/${ref}/action-plan`,
      intro: "Agree it with the customer at the start: what we will do, what we ask of them, and how we keep in touch.",
      fields: [["landlord_actions", "What we will do", "lines", { hint: "One step on each line" }],
        ["customer_actions", "What we ask the customer to do", "lines", { hint: "One step on each line" }],
        ["contact_channel", "How we will keep in touch", "select", { options: { phone: "Phone", email: "Email", sms: "Text message", letter: "Letter", visit: "Visit" } }],
        ["contact_every_working_days", "Contact every (working days)", "number"],
        ["review_on", "Review the plan on", "date"],
        ["customer_agreed", "The customer agreed this plan", "checkbox"],
        ["agreed_on", "Agreed on", "date", { hint: "Leave blank for today" }],
        // Only the complainant a plan is agreed with is sent it and sees it on their page.
        ...(reporters.length ? [["agreed_with", "Agreed with", "radios", {
          hint: "Only they are sent the plan and see it. Leave blank for the first reporter.",
          options: options(reporters.map((p) => [p.report_id, `${p.name} (${p.reference || "report"})`])) }]] : [])] },
    { id: "risk", title: "Re-assess the risk", button: "Save the assessment", path: `/cases/${ref}/risk-assessments`,
      intro: "Tick every answer that is yes now. The risk level and category follow from the answers.",
      fields: [["answers", "Which are true now?", "checkboxes", { options: CATALOGUES.risk_questions }]],
      transform: (body) => ({ answers: Object.fromEntries(Object.keys(CATALOGUES.risk_questions)
        .map((key) => [key, (body.answers || []).includes(key)])) }) },
    ...pathwayWrites(c),
    ...goodNeighbourWrites(c),
    { id: "override", title: "Override the category or risk", button: "Save the override", path: `/cases/${ref}/overrides`,
      fields: [["field", "What to change", "radios", { options: { category: "Category", risk: "Risk level" } }],
        ["value", "New value", "select", { options: { A: "Category A", B: "Category B", C: "Category C", standard: "Risk: standard", medium: "Risk: medium", high: "Risk: high" } }],
        ["reason", "Why", "textarea", { hint: "At least 10 characters; it is kept in the audit trail" }]] },
    ...measureWrites(ref, view, measures, manager, partners),
    { id: "referral", title: "Refer to mediation or support", button: "Make the referral", path: `/cases/${ref}/referrals`,
      fields: [["service", "Service", "radios", { options: { mediation: "Mediation", support: "Support" } }],
        ["subject", "For", "radios", { options: { reporter: "The reporter", perpetrator: "The alleged perpetrator", household: "The household" } }],
        ["consent", "They agreed to the referral", "checkbox"],
        ["notes", "Notes", "textarea"]] },
    { id: "disclosure", title: "Ask to share with a partner", button: "Send for approval", path: `/cases/${ref}/disclosures`,
      intro: "A manager or the DPO approves each request. Share only what the purpose needs.",
      fields: [["partner_id", "Partner", "select", { options: options(partners.map((p) => [p.partner_id, p.name])) }],
        ["kind", "Kind", "radios", { options: { disclosure: "Disclosure", referral: "Referral" } }],
        ["purpose", "Purpose", "textarea"],
        ["necessity", "Why sharing is necessary, and why less would not do", "textarea"],
        ["legal_route", "Lawful basis", "select", { options: CATALOGUES.sharing_legal_routes }],
        ["subject", "About", "radios", { options: { perpetrator: "The alleged perpetrator", reporter: "The reporter", household: "The household" } }],
        ["data_categories", "What to share", "checkboxes", { options: CATALOGUES.data_categories }],
        ["consent", "The person agreed to this sharing", "checkbox"]] },
    ...meetingWrites(ref, view, partners),
    ...(c.emergency && c.status !== "closed" ? [{ id: "emergency-legal", title: "Record the emergency legal consideration",
      button: "Record it", path: `/cases/${ref}/emergency-legal-consideration`,
      intro: "An emergency needs a same-day decision on without-notice legal action.",
      fields: [["considered", "Was a without-notice injunction considered today?", "yesno"],
        ["reason", "Why", "textarea"]] }] : []),
    ...(view.timeline.some((e) => e.kind === "report") ? [{ id: "revoke-link",
      title: "Stop a reporter's tracking link", button: "Stop the link",
      path: null, intro: "If a reporter's link was lost, shared or is no longer safe to use.",
      pathFor: (body) => `/cases/${ref}/tracking-links/${body.report_id}/revocation`,
      fields: [["report_id", "Whose link", "radios", { options: options(view.timeline
        .filter((e) => e.kind === "report").map((e) => [e.detail.report_id,
          `${view.people.find((p) => p.report_id === e.detail.report_id && p.role === "reporter")?.name
            || "Anonymous reporter"}, report of ${when(e.at)}`])) }],
      ["reason", "Why", "textarea"]],
      transform: (body) => ({ reason: body.reason, report_id: body.report_id }) }] : []),
    ...regroupingWrites(c, view),
    c.status === "closed"
      ? { id: "reopen", title: "Reopen the case", button: "Reopen", path: `/cases/${ref}/reopening`,
        fields: [["reason", "Why", "textarea"]] }
      : { id: "closure", title: "Close the case", button: "Close the case", path: `/cases/${ref}/closure`,
        intro: "The complainant is sent a closure letter with the outcome and these reasons, word for word; any other reporter gets the outcome only.",
        fields: [["outcome", "Outcome", "select", { options: CATALOGUES.closure_outcomes }],
          ["reasons", "Reasons, as the reporters will read them", "textarea",
            { hint: "Sent to every reporter exactly as you write them: plain words, no other people's details. At least 20 characters." }]] },
  ];
  // A closed case takes no casework until it is reopened (the API refuses it too); a manager
  // may still give its open work (an order's review, a Case Review's steps) to another officer.
  const allowed = c.status === "closed"
    ? writes.filter((w) => ["reopen", "revoke-link", "assignment"].includes(w.id)) : writes;
  return [...allowed, ...caseReviewWrites(ref, view, reporters),
    ...(c.status === "closed" ? [surveyWrite(ref, reporters)] : [])];
}

// Split a report out into its own case, or join another open case into this one: each with a
// reason, kept in both cases' audit trails. The report that opened the case stays.
function regroupingWrites(c, view) {
  const ref = encodeURIComponent(c.reference);
  const movable = view.timeline.filter((e) => e.kind === "report" && e.detail.reference !== c.reference);
  const reporter = (id) => view.people.find((p) => p.report_id === id && p.role === "reporter")?.name
    || "Anonymous reporter";
  return [
    ...(movable.length ? [{ id: "split", title: "Split a report out into its own case",
      button: "Split it out", path: `/cases/${ref}/split`,
      intro: "The report, its reporter's diary entries and files move to a new case, which is triaged like a new report. The reporter's reference and link keep working.",
      done: (body, answer) => `Report split out into ${answer.other.reference}.`,
      fields: [["report_id", "Which report", "radios", { options: options(movable.map((e) =>
        [e.detail.report_id, `${reporter(e.detail.report_id)}, ${e.detail.reference} (${when(e.at)})`])) }],
      ["reason", "Why", "textarea", { hint: "At least 10 characters; it is kept in both cases' audit trails" }]] }] : []),
    { id: "join", title: "Join another case into this one", button: "Join the cases",
      path: `/cases/${ref}/join`,
      intro: "The other case's reports, parties, diary entries and files move here; it is closed as joined into this one, its own history kept.",
      done: (body) => `${body.case_reference} joined into this case.`,
      fields: [["case_reference", "The other case's reference", "text", { hint: "For example ASB-2026-000123" }],
        ["reason", "Why", "textarea", { hint: "At least 10 characters; it is kept in both cases' audit trails" }]],
      transform: async (body) => {
        const other = await api(`/cases/${encodeURIComponent(body.case_reference || "none")}`);
        return { ...body, case_version: other.status === 200 ? other.data.case.version : 1 };
      } },
  ];
}

async function oneCase(reference, done = null) {
  let view = await read(`/cases/${encodeURIComponent(reference)}`);
  let version = view.case.version;
  const partners = (await api("/partners")).data.partners || [];
  const summaryHolder = h("div", { id: "case-summary" });
  const peopleHolder = h("div", { id: "case-people" });
  const partiesHolder = h("div", { id: "case-parties" });
  const promptHolder = h("div", { id: "case-safeguarding-prompt" });
  const safeguardingHolder = h("div", { id: "case-safeguarding" });
  const witnessesHolder = h("div", { id: "case-witnesses" });
  const reportsHolder = h("div", { id: "case-reports" });
  const enforcementHolder = h("div", { id: "case-enforcement" });
  const meetingsHolder = h("div", { id: "case-meetings" });
  const reviewsHolder = h("div", { id: "case-reviews" });
  const timelineHolder = h("div", { id: "case-timeline" });
  const messages = h("div", { id: "case-messages" });

  const fill = () => {
    summaryHolder.replaceChildren(caseSummary(view.case));
    peopleHolder.replaceChildren(peopleTable(view.people));
    partiesHolder.replaceChildren(partiesTable(view.parties || []));
    promptHolder.replaceChildren(...[safeguardingPrompt(view)].filter(Boolean));
    safeguardingHolder.replaceChildren(safeguardingList(view));
    witnessesHolder.replaceChildren(witnessesTable(view));
    reportsHolder.replaceChildren(reportsTold(view));
    enforcementHolder.replaceChildren(enforcementList(view));
    meetingsHolder.replaceChildren(meetingsList(view));
    reviewsHolder.replaceChildren(caseReviewsList(view));
    timelineHolder.replaceChildren(timelineList(view.timeline, view.case.policy_version),
      ...(view.older_audit ? [olderAudit(view.case.reference, view.older_audit, view.case.policy_version)] : []));
  };
  const context = {
    version: () => version,
    moved(current) { version = current; }, // a form's own earlier step changed the case
    async done(text) {
      // The case read again and the page drawn again in place: no reload, no sign-in flash.
      await oneCase(reference, text);
      main().focus();
    },
    async conflict(current) {
      // Show the case as it is now; the forms keep what the officer typed.
      view = await read(`/cases/${encodeURIComponent(reference)}`);
      version = current ?? view.case.version;
      fill();
      messages.replaceChildren(notice("This case changed since you opened it. The summary and "
        + "timeline below are the latest.", "warning"));
    },
  };
  fill();
  const writes = [...caseWrites(view.case, view, partners),
    ...(view.case.status === "closed" ? [] : partyWrites(encodeURIComponent(view.case.reference), view)),
    ...(view.case.status === "closed" || !mayRefer() ? []
      : safeguardingWrites(encodeURIComponent(view.case.reference), view, partners)),
    ...(view.case.status === "closed" ? [] : witnessWrites(encodeURIComponent(view.case.reference), view))]
    .map((spec) => writeForm(spec, context));
  if (done) messages.replaceChildren(notice(done, "success"));
  page(`Case ${view.case.reference}`, promptHolder,
    h("p", { class: "case-tags" }, categoryTag(view.case),
      view.case.risk?.level ? tag(`${sentence(view.case.risk.level)} risk`, view.case.risk.level === "high" ? "red" : "grey") : null,
      view.case.reported_before?.length ? tag("Repeat victim", "orange") : null),
    domesticAbuseNotice(view),
    goodNeighbourNotice(view),
    messages,
    h("div", { class: "case-layout" },
      h("div", { class: "case-main" },
        h("h2", {}, "Summary"), summaryHolder,
        h("h2", {}, "Parties"), partiesHolder,
        h("h2", {}, "Safeguarding"), safeguardingHolder,
        h("h2", {}, "Witnesses"), witnessesHolder,
        h("h2", {}, "People"), peopleHolder,
        h("h2", {}, "Tools and powers, in the order used"), enforcementHolder,
        h("h2", {}, "Multi-agency meetings"), meetingsHolder,
        h("h2", {}, "ASB Case Review"), reviewsHolder,
        h("h2", {}, "What the reporters told us"), reportsHolder,
        h("h2", {}, "Timeline, newest first"), timelineHolder),
      h("div", { class: "case-actions" }, h("h2", {}, "Work the case"), writes)));
}

// ------------------------------------------------------------------ domestic abuse (issue 23)
// A domestic abuse pathway case: its rules and its specialist referral, before anything else.
function domesticAbuseNotice(view) {
  const c = view.case;
  const disclosed = (c.risk?.reasons || []).some((r) => r.question === "domestic_abuse");
  if (disclosed && c.pathway === "asb" && c.status !== "closed") {
    return h("div", { id: "domestic-abuse-prompt", class: "notice notice--warning", role: "status" },
      "The risk assessment says domestic abuse is involved, but this case is on the anti-social behaviour pathway. If it is domestic abuse, move it to its own pathway (Work the case).");
  }
  if (c.pathway !== "domestic_abuse") return null;
  const referral = view.timeline.map((e) => e.detail)
    .find((d) => d.kind === "DA_SPECIALIST_REFERRAL" && d.title);
  const standing = !referral ? "Falls due when the case is triaged."
    : referral.status === "done" ? `Made ${when(referral.completed_at)}.`
      : h("span", { class: isLate(referral.due_at) ? "late" : "" },
        `Due ${when(referral.due_at)} (${timeLeft(referral.due_at)}).`);
  return h("section", { id: "domestic-abuse", class: "notice notice--warning",
    "aria-labelledby": "domestic-abuse-title" },
  h("h2", { id: "domestic-abuse-title" }, "Domestic abuse: its own pathway"),
  h("p", { id: "specialist-referral" }, h("strong", {}, "Refer to the domestic abuse specialist service. "),
    standing),
  h("ul", {},
    h("li", {}, "Safe contact only: never an address or number the alleged perpetrator may see. Use the reporter's safe ways and times below; we send no letters unless they asked for letters."),
    h("li", {}, "Never joined with a neighbour case about the same address, and not counted in NM01."),
    h("li", {}, "Never shown to the alleged perpetrator: a subject access request of theirs leaves this case out."),
    h("li", {}, "A warning letter to the alleged perpetrator waits for the specialist referral, and goes only as part of the safety plan agreed with the victim.")));
}

// A case whose domestic abuse came out later (a risk re-assessment, a contact, a further report).
function pathwayWrites(c) {
  if (c.status === "closed" || c.pathway === "domestic_abuse") return [];
  return [{ id: "pathway", title: "Move to the domestic abuse pathway", button: "Move the case",
    path: `/cases/${encodeURIComponent(c.reference)}/pathway`,
    intro: c.joined_from?.length
      ? "Cases were joined into this one: split their reports out first. A domestic abuse case is never joined with a neighbour case."
      : "When domestic abuse is disclosed. The referral to the specialist service falls due today; no later report about the address joins this case, and it is not moved back.",
    done: "The case is on the domestic abuse pathway. Refer it to the specialist service.",
    fields: [["reason", "Why", "textarea",
      { hint: "How it came to light, in a few words: the details go in a contact or diary entry. At least 10 characters; it is kept in the audit trail" }]],
    transform: (body) => ({ pathway: "domestic_abuse", reason: body.reason }) }];
}

// ------------------------------------------------------------------ the good-neighbour route (issue 23)
// A good-neighbour request: not an ASB case (advice, mediation, a property check); what its
// reporter asked, and the officer's decision.
function goodNeighbourNotice(view) {
  const c = view.case;
  const decision = c.good_neighbour_decision;
  if (c.pathway !== "good_neighbour" && !decision) return null;
  const asked = c.asb_request;
  return h("section", { id: "good-neighbour", class: "notice", "aria-labelledby": "good-neighbour-title" },
    h("h2", { id: "good-neighbour-title" }, c.pathway === "good_neighbour"
      ? "Good-neighbour request: not an ASB case" : "Moved from the good-neighbour route"),
    c.pathway === "good_neighbour" ? h("p", {}, "Everyday living noise or lifestyle differences alone. Send the advice pack and offer mediation, then record it as a contact with the reporter: that ends the follow-up. A property check went to repairs if the reporter said the sound comes through a wall. Not counted in NM01.") : null,
    asked ? h("div", { id: "asb-request", class: "inset" },
      h("p", {}, h("strong", {}, `The reporter asked for it to be treated as ASB, ${when(asked.at)}:`)),
      h("p", {}, asked.reason),
      h("p", {}, "Decide below: the reporter is told your reason.")) : null,
    decision ? h("p", { id: "good-neighbour-decided" },
      h("strong", {}, decision.treat_as_asb ? "Decided: treat it as ASB. " : "Decided: not ASB. "),
      `${decision.reason} (${decision.by}, ${when(decision.at)})`) : null,
    decision && decision.matter_held_by ? h("p", { id: "good-neighbour-held", class: "warning" },
      `Another open case already handles this tenancy (${decision.matter_held_by.join(", ")}): join this one into it, so the reports are one case.`) : null);
}

function goodNeighbourWrites(c) {
  if (c.status === "closed" || c.pathway !== "good_neighbour") return [];
  return [{ id: "good-neighbour-decision", title: "Decide whether it is ASB",
    button: "Save the decision", path: `/cases/${encodeURIComponent(c.reference)}/good-neighbour-decision`,
    intro: c.asb_request ? "The reporter asked for it to be treated as ASB." : "On your own judgement, or when the reporter asks.",
    done: (body) => body.treat_as_asb ? "It is an ASB case from today, and is being triaged."
      : "Saved. The reporter is told your reason.",
    fields: [["treat_as_asb", "Treat it as anti-social behaviour?", "yesno",
      { hint: "Yes: it becomes an ASB case today (counted in NM01) and is triaged as one" }],
    ["reason", "Why", "textarea", { hint: "At least 10 characters. The reporter reads it: write plainly" }]] }];
}

// ------------------------------------------------------------------ multi-agency meetings (issue 23)
// What a meeting agreed, with each action's owner, due date and where it stands.
function meetingsList(view) {
  const meetings = view.meetings || [];
  if (!meetings.length) return h("p", { class: "empty" }, "No multi-agency meeting is recorded on this case.");
  return h("div", {}, meetings.map((m) => h("section", { class: "meeting", id: `meeting-${m.meeting_id}` },
    h("h3", {}, `${m.kind_name}, ${when(m.held_on)}`),
    h("p", {}, `Attended: ${m.attendees.map(attendeeWords).join("; ")}`),
    h("p", { class: "minutes" }, m.minutes),
    table("Actions agreed", ["What", "Owner", "Due", "Where it stands"],
      m.actions.map((a) => [a.description, a.owner_name, when(a.due_on), actionStanding(a)]),
      "No actions were agreed.", "stacked"))));
}

const attendeeWords = (a) => (a.attends_for === "landlord" ? `${a.officer} (${a.agency})`
  : [a.name, a.role, a.agency].filter(Boolean).join(", "));

function actionStanding(a) {
  if (a.status === "done") {
    const by = String(a.done_by || "").startsWith("partner:") ? " (the partner told us)" : "";
    return `Done ${when(a.done_on)}${by}${a.note ? `: ${a.note}` : ""}`;
  }
  if (a.status === "ended") return "Ended: the case was closed";
  return a.late ? tag("Late", "red") : "Open";
}

// "Name, role, agency" (or "name, agency") as someone of another agency who attended.
function otherAttendee(line) {
  const parts = line.split(",").map((p) => p.trim()).filter(Boolean);
  const [name, role] = parts;
  return { attends_for: "agency", name, ...(parts.length > 2 ? { role, agency: parts.slice(2).join(", ") }
    : { agency: parts[1] }) };
}

// Record a meeting (its actions added row by row), mark an action done, share the minutes.
function meetingWrites(ref, view, partners) {
  const meetings = view.meetings || [];
  const partnerAttendees = (m) => m.attendees.filter((a) => a.attends_for === "partner");
  const owners = options([[CATALOGUES.landlord_owner, "Us (the landlord)"],
    ...partners.map((p) => [p.partner_id, p.name])]);
  const record = { id: "meeting", title: "Record a multi-agency meeting", button: "Record the meeting",
    path: `/cases/${ref}/meetings`,
    intro: "A problem-solving panel or case conference about this case: who came, the minutes and the actions agreed. Every action needs an owner and a due date: ours are your due work, a partner's is chased by message once it is late.",
    done: "Meeting recorded. Our actions are in your due work; a partner's is chased if it is late.",
    fields: [["kind", "Kind of meeting", "select", { options: CATALOGUES.meeting_kinds }],
      ["held_on", "Held on", "date"],
      ["partner_ids", "Partners who attended", "checkboxes", {
        options: options(partners.map((p) => [p.partner_id, p.name])) }],
      ["others", "Others who attended", "lines", {
        hint: "One on each line: name, role, agency. You are added as attending." }],
      ["minutes", "Minutes", "textarea"],
      ["actions", "Actions agreed", "rows", { row: "Action", add: "Add an action", columns: [
        ["description", "What is to be done", "text"],
        ["owner", "Who owns it", "select", { options: owners }],
        ["due_on", "Due on", "date"]] }]],
    transform: (body) => ({ kind: body.kind, held_on: body.held_on, minutes: body.minutes,
      attendees: [{ attends_for: "landlord", officer: staff.username },
        ...(body.partner_ids || []).map((id) => ({ attends_for: "partner", partner_id: id })),
        ...(body.others || []).map(otherAttendee)],
      actions: body.actions || [] }) };
  const done = meetings.flatMap((m) => m.actions.filter((a) => a.status === "open").map((a) => ({
    id: `action-done-${a.action_id}`, title: `Action done: ${a.description}`, button: "Record it done",
    path: `/cases/${ref}/meetings/${m.meeting_id}/actions/${a.action_id}`,
    intro: `${a.owner_name}; due ${when(a.due_on)}${a.late ? ", late" : ""}. Agreed at the ${m.kind_name.toLowerCase()} on ${when(m.held_on)}.`,
    done: "Action recorded as done.",
    fields: [["note", "What was done", "textarea"],
      ["done_on", "Done on", "date", { hint: "Leave blank for today" }]],
    transform: (body) => ({ done: true, ...body }) })));
  const share = meetings.filter((m) => partnerAttendees(m).length).map((m) => ({
    id: `share-${m.meeting_id}`, title: `Share the minutes of the ${m.kind_name.toLowerCase()} on ${when(m.held_on)}`,
    button: "Send for approval", path: `/cases/${ref}/meetings/${m.meeting_id}/share`,
    intro: "Each partner that attended gets its own request to share, which a manager or the DPO decides. Other people's details are taken out.",
    done: "Sent for approval: nothing leaves until a manager or the DPO approves it.",
    fields: [["partner_ids", "Share with", "checkboxes", { hint: "Leave all unticked for every partner that attended",
      options: options(partnerAttendees(m).map((a) => [a.partner_id, a.agency])) }],
      ["legal_route", "Lawful basis", "select", { options: CATALOGUES.sharing_legal_routes }],
      ["necessity", "Why each partner needs the minutes", "textarea"]],
    transform: (body) => ({ ...body, partner_ids: body.partner_ids?.length ? body.partner_ids : undefined }) }));
  return [record, ...done, ...share];
}

// ------------------------------------------------------------------ enforcement (issue 22)
const TOOLS = CATALOGUES.tools_and_powers;
const ENFORCEMENT = CATALOGUES.enforcement;
const toolName = (key) => TOOLS[key]?.name || sentence(key);
// Court action moves on by its steps (the API refuses a plain status change): legal and ours.
const isCourt = (m) => Boolean(TOOLS[m.measure]?.court);
const INJUNCTIONS = ["civil_injunction", "without_notice_injunction", "respect_order"];
const GROUNDS = { possession_ground_14: ["ground_14", "ground_2"],
  possession_absolute_ground: ["ground_7a", "s84a"] };
const FINISHED = ["withdrawn", "completed", "refused", "expired"];
const PARTNERS_WORDS = { police: "the police", council: "the council" };

// The picker offers only what the case view says the landlord may use on this case now.
function toolChoices(view) {
  // An answer without powers_open (an older API): the landlord's own tools, never possession.
  const open = view.case.powers_open || Object.keys(TOOLS).filter((key) => TOOLS[key].offered
    && TOOLS[key].ours && !TOOLS[key].needs_tenancy);
  return options(open.filter((key) => TOOLS[key]).map((key) =>
    [key, `${toolName(key)}${TOOLS[key].legal ? " (legal action)" : ""}`]));
}

const partnerPowerKeys = () => Object.keys(TOOLS).filter((key) => TOOLS[key].offered && !TOOLS[key].ours);
const askOfWords = (t) => t.ask_of.map((k) => PARTNERS_WORDS[k] || k).join(" or ");

// A power the landlord does not hold: whose it is, and a way to ask its holder for it.
function partnerPowers() {
  const ask = (key) => {
    const form = document.getElementById("write-power-request");
    form.open = true;
    const choice = document.getElementById("power-request-power");
    choice.value = key;
    choice.dispatchEvent(new Event("change", { bubbles: true }));
    choice.focus();
  };
  return h("section", { class: "partner-powers", id: "partner-powers", "aria-labelledby": "partner-powers-title" },
    h("h3", { id: "partner-powers-title" }, "Powers a partner holds"),
    h("p", { class: "hint" }, "The landlord cannot use these. Ask a partner for one, with the evidence."),
    h("ul", {}, partnerPowerKeys().map((key) => h("li", { "data-power": key },
      h("strong", {}, TOOLS[key].name), `: a power of ${TOOLS[key].holder}. `,
      h("button", { type: "button", class: "secondary ask", onclick: () => ask(key) },
        `Ask a partner (${askOfWords(TOOLS[key])})`)))));
}

// POST /cases/{ref}/power-requests: a manager approves it; the partner answers on the case.
function powerRequestWrite(ref, view, partners) {
  const kinds = new Set(partnerPowerKeys().flatMap((key) => TOOLS[key].ask_of));
  return { id: "power-request", title: "Ask a partner to use a power", button: "Send for approval",
    path: `/cases/${ref}/power-requests`,
    intro: "A manager approves each request. The partner is sent what it needs to decide, with other people's details taken out; the reporter is named only if they agreed.",
    done: (body) => `Request for a ${toolName(body.power)} sent for a manager's approval.`,
    fields: [["power", "Power", "select", { options: options(partnerPowerKeys().map((key) =>
      [key, `${TOOLS[key].name} (asked of ${askOfWords(TOOLS[key])})`])) }],
      ["partner_id", "Partner", "select", { options: options(partners.filter((p) => kinds.has(p.kind))
        .map((p) => [p.partner_id, `${p.name} (${PARTNERS_WORDS[p.kind] || p.kind})`])) }],
      ["party_id", "The respondent", "select", { hint: "Leave at \u201cChoose\u2026\u201d for the case's one alleged perpetrator",
        options: () => perpetratorChoices(view) }],
      ["evidence_summary", "What the evidence shows", "textarea", { hint: "The behaviour, its dates, what has been tried" }],
      ["rationale", "Why the power is necessary and proportionate", "textarea"],
      ["equality_impact", "Equality impact", "textarea", { hint: "Kept by the landlord, not sent" }],
      ["legal_route", "Lawful basis", "select", { options: CATALOGUES.sharing_legal_routes }],
      ["reporter_consent", "The reporter agreed to be named to the partner", "checkbox"],
      ["reporter_party_id", "The reporter who agreed", "select", { hint: "Only with their agreement, ticked above: no one else is named",
        options: () => options(activeParties(view).filter((p) => (p.roles || []).includes("complainant"))
          .map((p) => [p.party_id, partyChoice(p)])) }]] };
}

// Possession and demotion are against the named party, who must be our tenant: say which are not.
function perpetratorChoices(view) {
  return options(activeParties(view).filter((p) => (p.roles || []).includes("alleged_perpetrator"))
    .map((p) => [p.party_id, p.tenancy ? partyChoice(p)
      : `${partyChoice(p)} (not tied to a tenancy of ours: no possession or demotion)`]));
}

function recordMeasureWrite(ref, view) {
  const tenancyOnly = Object.keys(TOOLS).filter((key) => TOOLS[key].needs_tenancy);
  const tenant = tenancyOnly.some((key) => (view.case.powers_open || []).includes(key));
  const interview = { only: ["measure", ["interview"]] };
  const agreement = { only: ["measure", ["acceptable_behaviour_agreement"]] };
  const absolute = { only: ["measure", ["possession_absolute_ground"]] };
  return { id: "measure", title: "Use a tool or power", button: "Record it", path: `/cases/${ref}/measures`,
    intro: "Legal action needs an equality impact note and a manager's approval."
      + (tenant ? "" : " Possession and demotion are offered once the alleged perpetrator is tied to a current tenancy of ours."),
    after: partnerPowers(),
    done: (body) => `${toolName(body.measure)} recorded.`,
    fields: [["measure", "Tool or power", "select", { options: () => toolChoices(view) }],
      ["party_id", "Against", "select", { hint: "Leave at \u201cChoose\u2026\u201d for the case's one alleged perpetrator",
        options: () => perpetratorChoices(view) }],
      ["subject", "Against or for", "radios", { options: { perpetrator: "The alleged perpetrator", household: "The household", reporter: "The reporter", other: "Someone else" } }],
      ["interview.held_on", "Interview held on", "date", interview],
      ["interview.attended", "Who attended", "lines", { ...interview, hint: "One on each line, with their role" }],
      ["interview.account", "Their account of what happened", "textarea", interview],
      ["interview.next_steps", "Next steps agreed", "textarea", interview],
      ["agreement.terms", "Terms of the agreement", "lines", { ...agreement, hint: "One term on each line" }],
      ["agreement.signatories", "Signed by", "lines", { ...agreement, hint: "One on each line" }],
      ["agreement.starts_on", "Starts on", "date", agreement],
      ["agreement.review_on", "First review on", "date", agreement],
      ["absolute_ground.condition", "Condition met", "select", { ...absolute,
        hint: "If known now; otherwise give it when the notice is served", options: ENFORCEMENT.absolute_conditions }],
      ["absolute_ground.met_on", "Met on (the conviction, finding or closure order)", "date", absolute],
      ["rationale", "Why it is proportionate", "textarea", { hint: "What it answers, and why a lesser step would not do (at least 20 characters)" }],
      ["equality_impact", "Equality impact", "textarea", { hint: "Needed for legal action (Equality Act 2010)" }]],
    transform: (body) => (body.absolute_ground?.condition
      ? { ...body, absolute_ground: { ...body.absolute_ground, condition: Number(body.absolute_ground.condition) } }
      : body) };
}

// The steps a measure may take next, as its record stands: the API checks the law's order.
function nextSteps(m) {
  const unheard = (m.hearings || []).filter((x) => !x.outcome);
  const inForce = m.order && !m.order.ended_on;
  const steps = [];
  // A power asked of a partner is theirs to use: we record a breach, its end, or withdraw.
  if (m.held_by) return inForce ? [["breach", "A breach of the order"], ["order_ended", "The order ended"]]
    : [["withdrawn", "Withdraw the request"]];
  if (m.agreement) {
    steps.push(["breach", "A breach of the agreement"]);
    if (m.agreement.review_on) steps.push(["agreement_reviewed", "The agreement reviewed"]);
  }
  if (isCourt(m)) {
    if (GROUNDS[m.measure] && !m.notice) steps.push(["notice_served", "The notice served"]);
    if (!m.application && (!GROUNDS[m.measure] || m.notice)) steps.push(["applied", "The application made"]);
    if (m.application) steps.push(["hearing_listed", "A hearing listed"]);
    if (unheard.length) steps.push(["hearing_held", "A hearing held: its outcome"]);
    if (inForce) steps.push(["breach", "A breach of the order"], ["order_ended", "The order ended"]);
  }
  if (steps.length && !inForce) steps.push(["withdrawn", "Withdrawn"]);
  return steps;
}

const STEP_DONE = { notice_served: "Notice served: its dates are on the case",
  applied: "Application recorded", hearing_listed: "Hearing listed: it is on your work list from the day before",
  hearing_held: "Hearing outcome recorded", breach: "Breach recorded",
  agreement_reviewed: "Review recorded", order_ended: "The order's end is recorded", withdrawn: "Withdrawn" };

function stepWrite(ref, m) {
  const steps = nextSteps(m);
  const shownFor = (...names) => ({ only: ["step", names] });
  const injunction = INJUNCTIONS.includes(m.measure);
  const unheard = (m.hearings || []).filter((x) => !x.outcome);
  const absoluteNeeded = m.measure === "possession_absolute_ground" && !m.absolute_ground;
  const fields = [
    ["step", "What happened", "select", { options: options(steps) }],
    ...(GROUNDS[m.measure] ? [["ground", "Ground", "select", { ...shownFor("notice_served"),
      options: options(GROUNDS[m.measure].map((g) => [g, ENFORCEMENT.notice_grounds[g]])) }]] : []),
    ["served_on", "Served on", "date", shownFor("notice_served")],
    ...(absoluteNeeded ? [["absolute_ground.condition", "Condition met", "select", { ...shownFor("notice_served"),
      options: ENFORCEMENT.absolute_conditions }],
    ["absolute_ground.met_on", "Met on (the conviction, finding or closure order)", "date", shownFor("notice_served")]] : []),
    ["applied_on", "Applied on", "date", shownFor("applied")],
    ["court", "Court", "text", shownFor("applied", "hearing_listed")],
    ...(injunction ? [["respondent_born_on", "Respondent's date of birth", "date", { ...shownFor("applied"),
      hint: "An injunction's respondent is 10 or over" }],
    ["youth_offending_team_consulted_on", "Youth offending team consulted on", "date", { ...shownFor("applied"),
      hint: "Needed before the application if the respondent is under 18" }],
    ["power_of_arrest_sought", "A power of arrest is sought", "checkbox", shownFor("applied")],
    ["violence_or_significant_risk_of_harm", "The conduct is violence or threatens it, or there is a significant risk of harm", "checkbox", shownFor("applied")]] : []),
    ["at", "Listed for", "datetime", shownFor("hearing_listed")],
    ["purpose", "Hearing", "select", { ...shownFor("hearing_listed"), options: ENFORCEMENT.hearing_purposes }],
    ...(unheard.length ? [["hearing_id", "Which hearing", "radios", { ...shownFor("hearing_held"),
      options: options(unheard.map((x) => [x.hearing_id, `${when(x.at)}, ${x.court} (${words(x.purpose)})`])) }]] : []),
    ["outcome", "Outcome", "select", { ...shownFor("hearing_held", "agreement_reviewed"),
      options: m.agreement ? ENFORCEMENT.agreement_outcomes : ENFORCEMENT.hearing_outcomes }],
    ...(m.agreement ? [] : [["adjourned_to", "Adjourned to", "datetime", { ...shownFor("hearing_held"), hint: "Only if adjourned" }],
      ["order.kind", "Order made", "select", { ...shownFor("hearing_held"), hint: "Only if an order was made",
        options: ENFORCEMENT.order_kinds }],
      ["order.terms", "The order's terms", "lines", { ...shownFor("hearing_held"), hint: "One on each line" }],
      ["order.power_of_arrest", "A power of arrest is attached", "checkbox", shownFor("hearing_held")],
      ["order.expires_on", "The order ends on", "date", shownFor("hearing_held")]]),
    ["on", "On", "date", shownFor("breach", "order_ended")],
    ["what", "What happened", "textarea", shownFor("breach")],
    ["held_on", "Review held on", "date", shownFor("agreement_reviewed")],
    ["next_review_on", "Next review on", "date", { ...shownFor("agreement_reviewed"), hint: "If it continues" }],
    ["note", "Note", "textarea", shownFor("hearing_held", "agreement_reviewed", "order_ended", "withdrawn")],
  ];
  return { id: `step-${m.record_id}`, title: `Next step: ${m.name}`, button: "Record the step",
    path: `/cases/${ref}/measures/${m.record_id}/steps`, fields,
    intro: `Now: ${words(m.status)}${m.legal ? `, approval ${words(m.approval)}` : ""}.`,
    done: (body) => `${m.name}: ${STEP_DONE[body.step] || "saved"}.`,
    transform: (body) => {
      const sent = { ...body };
      if (sent.step === "applied" && injunction) sent.without_notice = m.measure === "without_notice_injunction";
      if (sent.step !== "applied") { delete sent.power_of_arrest_sought; delete sent.violence_or_significant_risk_of_harm; }
      if (sent.step !== "hearing_held" || sent.outcome !== "order made") delete sent.order;
      if (sent.absolute_ground?.condition) sent.absolute_ground.condition = Number(sent.absolute_ground.condition);
      return sent;
    } };
}

// A warning's plain-English letter, to the person it is against (never naming who complained).
const WARNINGS = ["verbal_warning", "first_written_warning", "final_written_warning"];
function letterWrite(ref, m) {
  return { id: `letter-${m.record_id}`, title: `Send the letter: ${m.name}`, button: "Send the letter",
    path: `/cases/${ref}/measures/${m.record_id}/letters`,
    intro: "The letter quotes your words to the person it is against. Never name who complained.",
    done: (body) => `The letter is on its way by ${body.channel === "email" ? "email" : "post"}.`,
    fields: [["channel", "How it goes", "radios", { options: { email: "Email (the PDF attached)", letter: "Post (the PDF to the print room)" } }],
      ["what_happened", "What happened, as the letter tells them", "textarea", { hint: "At least 20 characters" }],
      ["happened_on", "The days it happened on", "lines", { hint: "One date on each line, for example 2026-11-28" }],
      ["must_stop", "What must stop", "lines", { hint: "One on each line, each in a few words" }]] };
}

function measureWrites(ref, view, measures, manager, partners) {
  const live = measures.filter((m) => !FINISHED.includes(m.status));
  return [recordMeasureWrite(ref, view), powerRequestWrite(ref, view, partners),
    // A power request is decided as a request to share (the manager's page), not here.
    ...measures.filter((m) => manager && m.legal && m.approval === "pending" && !m.held_by).map((m) => ({
      id: `decide-${m.record_id}`, title: `Decide: ${m.name}`, button: "Save the decision",
      path: `/cases/${ref}/measures/${m.record_id}/decision`, done: decided,
      fields: [["approved", "Approve this legal action?", "yesno"], ["reason", "Reason", "textarea"]] })),
    ...live.filter((m) => nextSteps(m).length && (!m.legal || m.held_by || m.approval === "approved"))
      .map((m) => stepWrite(ref, m)),
    ...live.filter((m) => WARNINGS.includes(m.measure) && !(m.letters || []).length)
      .map((m) => letterWrite(ref, m)),
    ...live.filter((m) => !isCourt(m) && !m.agreement && TOOLS[m.measure]?.ours !== false).map((m) => ({
      id: `status-${m.record_id}`, title: `Update: ${m.name} (${words(m.status)})`, button: "Save the update",
      path: `/cases/${ref}/measures/${m.record_id}/status`,
      fields: [["status", "Now", "select", { options: options(["applied", "completed", "withdrawn"]
        .map((x) => [x, sentence(x)])) }], ["note", "Note", "textarea"]] }))];
}

// The case's tools and powers in date order: the ladder the case view gives, each rung with
// what happened to it; without one, each measure's record as it stands.
function enforcementList(view) {
  const measures = view.timeline.filter((e) => e.kind === "tool_or_power").map((e) => e.detail)
    .sort((a, b) => String(a.recorded_at).localeCompare(String(b.recorded_at)));
  const ladder = view.ladder || view.case.ladder;
  if (Array.isArray(ladder)) return ladderList(ladder, measures);
  if (!measures.length) return h("p", { class: "empty" }, "No tool or power is recorded on this case yet.");
  const against = (id) => (view.parties || []).find((p) => p.party_id === id);
  return h("ol", { class: "measures" }, measures.map((m) => h("li", { class: "measure", "data-measure": m.record_id },
    h("h3", {}, m.name || toolName(m.measure)),
    summaryList([
      ["Status", `${sentence(m.status)}${m.legal ? ` (approval ${words(m.approval)})` : ""}`],
      ["Recorded", `${when(m.recorded_at)} by ${m.by || "–"}`],
      m.party_id && against(m.party_id) ? ["Against", partyName(against(m.party_id))] : null,
      m.partner_name ? ["Asked of", m.partner_name] : null,
      ["Why", m.rationale || "–"],
    ]),
    h("ul", { class: "measure-life" }, measureLife(m).map(([day, text]) =>
      h("li", {}, h("span", { class: "when" }, when(day)), ` ${text}`))), termsOf(m))));
}

function measureLife(m) {
  const life = [];
  for (const l of m.letters || []) life.push([l.issued_on, `Warning letter sent by ${l.channel === "email" ? "email" : "post"}: ${words(l.delivery)}`]);
  const i = m.interview;
  if (i) life.push([i.held_on, `Interview with ${(i.attended || []).join(", ")}. Next steps: ${i.next_steps}`]);
  const a = m.agreement;
  if (a) {
    life.push([a.starts_on, `Agreement starts, signed by ${(a.signatories || []).join(", ")}`]);
    for (const r of a.reviews || []) life.push([r.held_on, `Reviewed: ${r.outcome}. ${r.note}`]);
    for (const b of a.breaches || []) life.push([b.on, `Breach of the agreement: ${b.what}`]);
    if (a.review_on) life.push([a.review_on, "Next review"]);
  }
  if (m.absolute_ground) life.push([m.absolute_ground.met_on, `Absolute ground condition ${m.absolute_ground.condition} met: serve the notice by ${when(m.absolute_ground.serve_by)}`]);
  if (m.notice) life.push([m.notice.served_on, `Notice served (${ENFORCEMENT.notice_grounds[m.notice.ground] || m.notice.ground}): proceedings from ${when(m.notice.proceedings_from)}, in force until ${when(m.notice.expires_on)}`]);
  if (m.application) life.push([m.application.applied_on, `Applied to ${m.application.court}${m.application.without_notice ? " without notice" : ""}`]);
  for (const x of m.hearings || []) {
    life.push([x.at, `${ENFORCEMENT.hearing_purposes[x.purpose] || sentence(x.purpose)} at ${x.court}`
      + `${x.outcome ? `: ${x.outcome}${x.note ? `. ${x.note}` : ""}` : ": listed"}`]);
  }
  const o = m.order;
  if (o) {
    life.push([o.made_on, `${sentence(o.kind)} order made${o.power_of_arrest ? " with a power of arrest" : ""}`]);
    if (o.ended_on) life.push([o.ended_on, "The order ended"]);
    else if (o.expires_on) life.push([o.expires_on, "The order ends"]);
  }
  for (const b of m.breaches || []) life.push([b.on, `Breach of the order: ${b.what}`]);
  return life.sort((x, y) => String(x[0]).localeCompare(String(y[0])));
}

// What was agreed or ordered, word for word: the ladder says how many terms, not which.
function termsOf(m) {
  const lists = [["Terms agreed", m?.agreement?.terms], ["The order's terms", m?.order?.terms]]
    .filter(([, terms]) => (terms || []).length);
  return lists.map(([title, terms]) => h("div", { class: "terms" }, h("p", { class: "terms__title" }, title),
    h("ul", {}, terms.map((t) => h("li", {}, t)))));
}

function ladderList(rungs, measures, withCase = false) {
  if (!rungs.length) return h("p", { class: "empty" }, "No tool or power is recorded on this case yet.");
  const measureOf = (r) => measures.find((m) => m.record_id === r.measure_id);
  return h("ol", { class: "measures ladder" }, rungs.map((r) => h("li", { class: "measure", "data-measure": r.measure_id },
    h("h3", {}, r.name, h("span", { class: "hint-inline" }, ` – ${r.stage_words}`)),
    summaryList([
      withCase ? ["Case", caseLink(r.case_reference)] : null,
      ["Where it stands", r.outcome || sentence(r.status)],
      r.against ? ["Against", r.against] : null,
      measureOf(r)?.partner_name ? ["Asked of", measureOf(r).partner_name] : null,
      ["Began", when(r.began_on)],
      ["Why", r.rationale || "–"],
      r.skips ? ["Escalation", h("span", { class: "late" }, r.skips)] : null,
    ]),
    h("ul", { class: "measure-life" }, (r.events || []).map((e) =>
      h("li", {}, h("span", { class: "when" }, when(e.on)), ` ${e.what}`))),
    termsOf(measureOf(r)))));
}

// ------------------------------------------------------------------ people and homes
const ROLES = {
  complainant: "Complainant", victim: "Victim", witness: "Witness",
  alleged_perpetrator: "Alleged perpetrator", household_member: "Household member",
  professional: "Professional",
};
const MATCH_REASONS = { same_tenancy: "same tenancy", same_email: "same email",
  same_phone: "same phone" };
const roleWords = (roles) => (roles || []).map((r) => ROLES[r] || sentence(r)).join(", ");
const personLink = (id, text) => h("a", { href: `${HOME}?person=${encodeURIComponent(id)}` }, text);
const homeLink = (uprn, text) => h("a", { href: `${HOME}?home=${encodeURIComponent(uprn)}` }, text);
const partyName = (p) => p.person?.name || (p.person_id ? "Name not known" : "Anonymous");

function partyStatus(p) {
  if (p.unlinked) return `Unlinked: ${p.unlinked.reason}`;
  return p.status === "proposed" ? tag("Proposed: to check", "orange") : "Confirmed";
}

// A case's parties: each links to the person's page and the home of their tenancy.
function partiesTable(parties) {
  return table("Parties", ["Role", "Name", "Status", "Tenancy", "Proposed matches"],
    parties.map((p) => [roleWords(p.roles),
      p.person_id ? personLink(p.person_id, partyName(p)) : partyName(p),
      partyStatus(p),
      p.tenancy ? homeLink(p.tenancy.uprn, `${p.tenancy.reference} (home ${p.tenancy.uprn})`) : "–",
      (p.proposed_matches || []).length ? h("ul", { class: "plain" }, p.proposed_matches.map((m) =>
        h("li", {}, personLink(m.person_id, "Possible match"),
          ` (${m.reasons.map((r) => MATCH_REASONS[r] || words(r)).join(", ")})`))) : "–"]),
    "No party is recorded on this case yet.", "stacked");
}

const activeParties = (view) => (view.parties || []).filter((p) => !p.unlinked);
const partyChoice = (p) => `${roleWords(p.roles)}: ${partyName(p)}`;

// The officer's changes to the parties: each a staff write at the case's version.
function partyWrites(ref, view) {
  const active = activeParties(view);
  const proposed = active.filter((p) => p.status === "proposed");
  const matches = active.flatMap((p) => (p.proposed_matches || []).map((m) => [
    `${m.person_id}|${p.person_id}`, `${partyChoice(p)}: the same person as match ${m.person_id.slice(0, 8)}`]));
  const writes = [
    { id: "party-add", title: "Add a party", button: "Add the party", path: `/cases/${ref}/parties`,
      intro: "Someone new (their name at least), or a person already known by their id.",
      fields: [["roles", "Their roles in this case", "checkboxes", { options: ROLES }],
        ["name", "Name", "text"], ["email", "Email", "text"], ["phone", "Phone", "text"],
        ["address", "Address", "text"],
        ["person_id", "Or a known person's id", "text", { hint: "From their person page" }]],
      transform: ({ roles, person_id: known, ...person }) => (known
        ? { roles, person_id: known } : { roles, person }),
      done: "The party was added." },
  ];
  if (proposed.length) writes.push({ id: "party-confirm", title: "Confirm a proposed party",
    button: "Confirm", pathKeys: ["party_id"],
    pathFor: (b) => `/cases/${ref}/parties/${encodeURIComponent(b.party_id || "none")}/confirmation`,
    fields: [["party_id", "Party", "select", { options: options(proposed.map((p) => [p.party_id, partyChoice(p)])) }],
      ["note", "How you checked who they are", "textarea"]],
    done: "The party is confirmed." });
  if (active.length) writes.push({ id: "party-unlink", title: "Unlink a party", button: "Unlink",
    pathKeys: ["party_id"],
    pathFor: (b) => `/cases/${ref}/parties/${encodeURIComponent(b.party_id || "none")}/unlinking`,
    fields: [["party_id", "Party", "select", { options: options(active.map((p) => [p.party_id, partyChoice(p)])) }],
      ["reason", "Why they are not part of this case", "textarea", { hint: "At least 10 characters" }]],
    done: "The party was unlinked." });
  if (matches.length) writes.push({ id: "party-merge", title: "Merge a proposed match",
    intro: "The match's record is kept; the party's own record is merged into it, on every case.",
    button: "Merge the records", pathKeys: ["survivor"],
    transform: ({ pair = "", reason }) => {
      const [survivor, merged] = pair.split("|");
      return { survivor, ...(merged ? { merged_person_id: merged } : {}), reason };
    },
    pathFor: (b) => `/people/${encodeURIComponent(b.survivor || "none")}/merger`,
    fields: [["pair", "Which match", "select", { options: options(matches) }],
      ["reason", "Why they are the same person", "textarea", { hint: "At least 10 characters" }]],
    done: "The records were merged." });
  return writes;
}

// ------------------------------------------------------------------ safeguarding (issue 23)
const VULNERABILITY_KINDS = CATALOGUES.vulnerability_kinds || {};
const REFERRAL_TYPES = CATALOGUES.safeguarding_referral_types || {};
const SAFEGUARDING_OUTCOMES = CATALOGUES.safeguarding_outcomes || {};
const REFERRAL_STATUS = { requested: "Waiting for a decision", refused: "Refused",
  approved: "Approved, being sent", sent: "Sent, not yet acknowledged",
  acknowledged: "Acknowledged, outcome awaited", answered: "Outcome received" };
const vulnerabilityWords = (v) => `${VULNERABILITY_KINDS[v.kind]?.name || sentence(v.kind)}`
  + ` (${v.type})${v.note ? `: ${v.note}` : ""}`;
const mayRefer = () => staff.roles.some((r) => ["officer", "manager"].includes(r));

// At the very top of the case while self-harm or suicidal thoughts are answered yes and no
// safeguarding referral was made since; its button opens the referral form.
function safeguardingPrompt(view) {
  const prompt = view.safeguarding_prompt;
  if (!prompt) return null;
  const openForm = () => {
    const section = document.getElementById("write-safeguarding-referral");
    if (!section) return;
    section.open = true;
    section.scrollIntoView();
    document.getElementById("safeguarding-referral-referral_type")?.focus();
  };
  const before = prompt.referrals_before;
  return h("div", { class: "safeguarding-prompt", id: "safeguarding-prompt", role: "alert" },
    h("h2", {}, "Consider a safeguarding referral"),
    h("p", {}, `Answered yes: ${prompt.prompted_by.map((r) => r.text).join("; ")} `
      + "No safeguarding referral has been made since."),
    before ? h("p", {}, `${before} referral${before === 1 ? " was" : "s were"} made before this.`) : null,
    prompt.due_at ? h("p", {}, `Consider it by ${when(prompt.due_at)}.`) : null,
    mayRefer() && view.case.status !== "closed"
      ? h("button", { type: "button", id: "safeguarding-prompt-refer", onclick: openForm },
        "Make a safeguarding referral") : null);
}

// Each party's vulnerability screening (alleged perpetrators' own too), and the referrals.
function safeguardingList(view) {
  const unscreened = new Set(view.perpetrators_not_screened || []);
  const byParty = Object.fromEntries((view.parties || []).map((p) => [p.party_id, p]));
  const screened = (p) => {
    if (!p.vulnerability) {
      return unscreened.has(p.party_id) ? tag("Alleged perpetrator not screened", "orange") : "Not screened";
    }
    const found = p.vulnerability.vulnerabilities || [];
    return found.length ? h("ul", { class: "plain" }, found.map((v) => h("li", {}, vulnerabilityWords(v))))
      : "Screened: none found";
  };
  const outcome = (r) => {
    if (r.outcome) {
      const o = r.outcome;
      return `${o.outcome_name || sentence(o.outcome)}, ${o.decided_on || ""} (${o.decided_by || ""})`
        + `${o.summary ? `: ${o.summary}` : ""}`;
    }
    return r.outcome_due_at ? `Due back by ${when(r.outcome_due_at)}` : "–";
  };
  return h("div", { id: "safeguarding" },
    table("Vulnerability, by party", ["Party", "Vulnerabilities", "Safeguarding concerns", "Screened"],
      activeParties(view).map((p) => [partyChoice(p), screened(p),
        p.vulnerability ? yesNo(p.vulnerability.safeguarding_concerns) : "–",
        p.vulnerability ? `${when(p.vulnerability.screened_at)} by ${p.vulnerability.screened_by}` : "–"]),
      "No party is recorded on this case yet.", "stacked"),
    table("Safeguarding referrals", ["Referral", "About", "Basis", "Where it stands", "Outcome"],
      (view.safeguarding_referrals || []).map((r) => [
        `${r.referral_type_name || sentence(r.referral_type)} to ${r.partner_name}${r.urgent ? " (urgent)" : ""}`,
        byParty[r.party_id] ? partyChoice(byParty[r.party_id]) : "–",
        r.consent ? "With their consent" : `Without consent: ${r.without_consent_reason || "–"}`,
        REFERRAL_STATUS[r.status] || sentence(r.status), outcome(r)]),
      "No safeguarding referral has been made on this case.", "stacked"));
}

// Screening a party, a referral (type, partner, consent or the reason without it, purpose,
// necessity, data categories) and an outcome the partner gave an officer.
function safeguardingWrites(ref, view, partners) {
  const active = activeParties(view);
  const choices = () => options(active.map((p) => [p.party_id, partyChoice(p)]));
  const kinds = new Set(Object.values(REFERRAL_TYPES).flatMap((t) => t.partner_kinds));
  const waiting = (view.safeguarding_referrals || []).filter((r) => ["sent", "acknowledged"].includes(r.status));
  const writes = [];
  if (active.length) writes.push({ id: "vulnerability", title: "Record a party's vulnerability",
    button: "Save the screening", pathKeys: ["party_id"],
    intro: "Screen every party, alleged perpetrators too. This replaces the party's last screening: list every vulnerability that applies, or none.",
    pathFor: (b) => `/cases/${ref}/parties/${encodeURIComponent(b.party_id || "none")}/vulnerabilities`,
    fields: [["party_id", "Party", "select", { options: choices }],
      ["vulnerabilities", "Vulnerabilities", "rows", { row: "Vulnerability", add: "Add a vulnerability",
        columns: [["type", "Type", "select", { options: CATALOGUES.vulnerability_types }],
          ["kind", "What", "select", { options: options(Object.entries(VULNERABILITY_KINDS)
            .map(([key, v]) => [key, `${v.name} (${v.type})`])) }],
          ["note", "Note", "text"]] }],
      ["safeguarding_concerns", "Do safeguarding concerns arise?", "yesno"]],
    done: "The party's vulnerability screening was saved." });
  if (active.length) writes.push({ id: "safeguarding-referral", title: "Make a safeguarding referral",
    button: "Send for a decision", path: `/cases/${ref}/safeguarding-referrals`,
    intro: "A manager or the DPO decides; then it is sent to the partner and its outcome is chased. Without the person's consent it may go only where there is a risk of harm, with the reason recorded.",
    done: (body) => `${REFERRAL_TYPES[body.referral_type]?.name || "The referral"}: sent for a decision.`,
    fields: [["referral_type", "Type of referral", "select", { options: options(Object.entries(REFERRAL_TYPES)
      .map(([key, t]) => [key, t.name])) }],
      ["partner_id", "Partner", "select", { options: options(partners.filter((p) => kinds.has(p.kind))
        .map((p) => [p.partner_id, p.name])) }],
      ["party_id", "The person at risk", "select", { options: choices }],
      ["consent", "Have they agreed to the referral?", "yesno"],
      ["without_consent_reason", "Why it must go without their consent", "textarea", {
        hint: "The risk of harm that makes it necessary (DPA 2018 Schedule 1 paragraph 18)",
        only: ["consent", ["no", ""]] }],
      ["purpose", "Purpose", "textarea", { hint: "At least 20 characters" }],
      ["necessity", "Why sharing is necessary", "textarea", { hint: "And why less would not do" }],
      ["data_categories", "What to share", "checkboxes", { options: CATALOGUES.data_categories }],
      ["urgent", "Urgent: to be decided by the end of today", "checkbox"]] });
  if (waiting.length) writes.push({ id: "safeguarding-outcome", title: "Record a referral's outcome",
    button: "Record the outcome", pathKeys: ["disclosure_id"],
    intro: "When the partner tells you its decision by phone or letter.",
    pathFor: (b) => `/cases/${ref}/safeguarding-referrals/${encodeURIComponent(b.disclosure_id || "none")}/outcome`,
    fields: [["disclosure_id", "Referral", "select", { options: options(waiting.map((r) => [r.disclosure_id,
      `${r.referral_type_name || r.referral_type} to ${r.partner_name}`])) }],
      ["outcome", "Outcome", "select", { options: SAFEGUARDING_OUTCOMES }],
      ["decided_on", "Decided on", "date"], ["decided_by", "Who decided or told us", "text"],
      ["summary", "What they said", "textarea"]],
    done: "The referral's outcome was recorded." });
  return writes;
}

// ------------------------------------------------------------------ witnesses (issue 23)
const STATEMENT_ROLES = ["witness", "complainant", "victim"];
const SUPPORT = CATALOGUES.witness_support || {};
const SPECIAL_MEASURES = CATALOGUES.special_measures || {};
const givesStatements = (p) => !p.unlinked && (p.roles || []).some((r) => STATEMENT_ROLES.includes(r));
const partyOf = (view, id) => (view.parties || []).find((p) => p.party_id === id);
const activeWitnesses = (view) => (view.witnesses || [])
  .filter((w) => w.active && (w.roles || []).includes("witness"));

function statementWords(s) {
  const truth = s.signed ? `signed${s.signed_on ? ` ${when(s.signed_on)}` : ""}` : "not signed";
  const court = s.willing_to_attend_court === true ? "will attend court"
    : s.willing_to_attend_court === false ? "will not attend court" : "court not yet asked";
  return `Made ${when(s.made_on)}, ${truth}, ${court}${s.evidence_id ? " (a file on the case)" : ""}`;
}

function nextContactWords(w) {
  if (!w.next_contact_due) return w.contact_every_working_days ? "None due" : "Through the customer updates";
  const due = `${when(w.next_contact_due)} (every ${w.contact_every_working_days} working days)`;
  return w.contact_overdue ? h("span", {}, tag("Overdue", "red"), " ", due) : due;
}

// Each witness: their statements, what they need to give evidence, and their next contact.
function witnessesTable(view) {
  const needs = (n) => [...(n.support || []).map((k) => SUPPORT[k] || sentence(k)),
    ...(n.special_measures || []).map((k) => SPECIAL_MEASURES[k] || sentence(k))];
  return table("Witnesses", ["Witness", "Statements", "Needs", "Next contact"],
    (view.witnesses || []).map((w) => {
      const party = partyOf(view, w.party_id) || { roles: w.roles };
      const listed = needs(w.needs || {});
      return [`${partyName(party)} (${roleWords(w.roles)}${w.active ? "" : ", unlinked"})`,
        w.statements.length ? h("ul", { class: "plain" }, w.statements.map((s) => h("li", {}, statementWords(s))))
          : "None yet",
        listed.length || w.needs?.notes ? h("ul", { class: "plain" }, [...listed, ...(w.needs?.notes ? [w.needs.notes] : [])]
          .map((text) => h("li", {}, text))) : "None recorded",
        nextContactWords(w)];
    }),
    "No witness is recorded on this case yet. Add one under \u201cAdd a party\u201d with the witness role.",
    "stacked");
}

// A signed statement on paper, attached as a file: asked for (an upload form straight to S3),
// sent with fetch, checked by its contents; its evidence id then goes with the statement. A
// file checked once is not sent again when the statement itself needs an answer corrected.
const ATTACHED = new WeakMap();
const STATEMENT_FILE_TYPES = ".pdf,.jpg,.jpeg,.png,.heic,.heif,application/pdf,image/jpeg,image/png,image/heic,image/heif";

async function attachStatement(ref, partyId, file, context) {
  if (ATTACHED.has(file)) return ATTACHED.get(file);
  const fileProblem = (message) => new Problem("The signed statement was not attached",
    [{ field: "attachment", message }]);
  if (!partyId) throw new Problem("Some answers need checking",
    [{ field: "party_id", message: "Choose whose statement it is" }]);
  const asked = await api(`/cases/${ref}/parties/${encodeURIComponent(partyId)}/statement-files`,
    { method: "POST", body: {}, version: context.version() });
  if (asked.status !== 200) throw new Problem(asked.data.message || "The file could not be asked for", asked.data.errors || []);
  context.moved(asked.data.version);
  if (file.size > asked.data.largest) {
    throw fileProblem(`The file is larger than ${Math.floor(asked.data.largest / 1048576)} MB: scan it again at a lower resolution`);
  }
  const upload = new FormData();
  for (const [name, value] of Object.entries(asked.data.fields)) upload.append(name, value);
  upload.append("file", file);
  const sent = await fetch(asked.data.url, { method: "POST", body: upload });
  if (!sent.ok) throw fileProblem("The file could not be sent. Choose it again and save.");
  const checked = await api(`/cases/${ref}/evidence/${encodeURIComponent(asked.data.evidence_id)}/check`,
    { method: "POST", body: {}, version: context.version() });
  if (checked.status !== 200) throw new Problem(checked.data.message || "The file could not be checked", checked.data.errors || []);
  context.moved(checked.data.version);
  if (checked.data.file_status !== "checked") throw fileProblem(checked.data.reason || "The file was not kept");
  ATTACHED.set(file, asked.data.evidence_id);
  return asked.data.evidence_id;
}

// The officer's witness work: a statement (its day is required), its signature later, needs.
function witnessWrites(ref, view) {
  const giving = (view.parties || []).filter(givesStatements);
  if (!giving.length) return [];
  const choices = options(giving.map((p) => [p.party_id, partyChoice(p)]));
  const files = view.timeline.filter((e) => e.kind === "evidence" && e.detail.status === "checked")
    .map((e) => [e.detail.record_id, `${sentence(e.detail.kind)} checked ${when(e.detail.checked_at || e.at)}`]);
  const unsigned = (view.witnesses || []).flatMap((w) => w.statements.filter((s) => !s.signed)
    .map((s) => [`${w.party_id}|${s.record_id}`,
      `${partyName(partyOf(view, w.party_id) || {})}: made ${when(s.made_on)}`]));
  const partyPath = (b, tail) => `/cases/${ref}/parties/${encodeURIComponent(b.party_id || "none")}/${tail}`;
  const writes = [
    { id: "witness-statement", title: "Record a witness statement", button: "Save the statement",
      intro: "A witness's, or a complainant's or victim's own account for court. Give its words, attach the signed statement, or choose a checked file that holds it.",
      pathKeys: ["party_id"], pathFor: (b) => partyPath(b, "statements"),
      fields: [["party_id", "Whose statement", "select", { options: choices }],
        ["made_on", "Made on", "date", { hint: "Required: the day the statement was made" }],
        ["text", "The statement", "textarea", { hint: "In the witness's own words" }],
        ["attachment", "Attach the signed statement", "file", { accept: STATEMENT_FILE_TYPES,
          hint: "Or a scan or photo of the signed paper (JPEG, PNG or HEIC), or a PDF: it is checked, then kept on the case" }],
        ...(files.length ? [["evidence_id", "Or a checked file that holds it", "select", { options: options(files) }]] : []),
        ["signed", "Is the statement of truth signed?", "yesno"],
        ["signed_on", "Signed on", "date", { only: ["signed", ["yes"]] }],
        ["willing_to_attend_court", "Will they give evidence in court?", "yesno", { hint: "Leave blank if not yet asked" }],
        ["taken_by", "Taken by", "text", { hint: "Leave blank if you took it" }]],
      transform: async ({ attachment, ...b }, context) => ({ ...b, signed: b.signed === true,
        ...(attachment ? { evidence_id: await attachStatement(ref, b.party_id, attachment, context) } : {}) }),
      done: "The statement was saved. The witness's next contact has moved on." },
    { id: "witness-needs", title: "Record a witness's needs", button: "Save their needs",
      intro: "What they need to give evidence, replacing what was recorded before, and how often you will keep in touch with them.",
      pathKeys: ["party_id"], pathFor: (b) => partyPath(b, "witness-needs"),
      fields: [["party_id", "Witness", "select", { options: choices }],
        ["support", "Support", "checkboxes", { options: SUPPORT }],
        ["special_measures", "Special measures to ask the court for", "checkboxes", { options: SPECIAL_MEASURES }],
        ["notes", "Anything else", "textarea"],
        ["contact_every_working_days", "Keep in touch every (working days)", "number", { hint: "Leave blank for the usual" }]],
      done: "The witness's needs were saved." },
  ];
  if (unsigned.length) writes.push({ id: "witness-signature", title: "Record a statement signed",
    button: "Save the signature", pathKeys: ["party_id", "statement_id"],
    pathFor: (b) => partyPath(b, `statements/${encodeURIComponent(b.statement_id || "none")}/signature`),
    fields: [["statement", "Which statement", "select", { options: options(unsigned) }],
      ["signed_on", "Signed on", "date"]],
    transform: ({ statement = "", signed_on: signedOn }) => {
      const [partyId, statementId] = statement.split("|");
      return { party_id: partyId, statement_id: statementId, ...(signedOn ? { signed_on: signedOn } : {}) };
    },
    done: "The statement is recorded as signed." });
  return writes;
}

function contactSafety(rows) {
  return table("Contact safety, from their reports", ["Report", "Never contact by", "Safe times", "Adjustments"],
    rows.map((c) => [c.report_reference,
      (c.unsafe_channels || []).map(channelWords).join(", ") || "None given",
      [c.safe_contact_times, c.safe_from || c.safe_until
        ? `Between ${clock(c.safe_from) || "any time"} and ${clock(c.safe_until) || "any time"}` : null]
        .filter(Boolean).join(". ") || "Any time",
      [c.reasonable_adjustments, c.large_print ? "Letters in large print" : null,
        c.interpreter ? `Needs an interpreter${c.language ? ` (${c.language})` : ""}` : null]
        .filter(Boolean).join(". ") || "None asked for"]),
    "None of their reports says how to contact them.", "stacked");
}

const FLAG_KINDS = { harm_answer: "From their report", risk: "Assessed risk", repeat_victim: "Repeat victim",
  recorded: "Recorded vulnerability", safeguarding_concerns: "Safeguarding" };

async function personPage(id) {
  const person = await read(`/people/${encodeURIComponent(id)}`);
  if (person.merged_into) {
    page("A merged record", notice("This record was merged into another record of the same "
      + "person. Their cases, reports and contact details are on that record's page.", "warning"),
    h("p", {}, personLink(person.merged_into, "Open the person's page")));
    return;
  }
  const others = person.cases_in_other_teams;
  page(person.name || "Name not known",
    h("p", { class: "case-tags" }, person.vulnerability.length ? tag("Vulnerability flags", "red") : null,
      person.vulnerability.some((f) => f.kind === "repeat_victim") ? tag("Repeat victim", "orange") : null),
    h("div", { class: "case-layout" },
      h("div", { class: "case-main" },
        h("h2", {}, "Cases"),
        table("Their cases", ["Case", "Their roles", "Status", "Opened", "Tenancy"],
          person.cases.map((c) => [caseLink(c.reference),
            `${roleWords(c.roles)}${c.party_status === "proposed" ? " (proposed)" : ""}${c.unlinked ? " (unlinked)" : ""}`,
            `${sentence(c.status)}${c.closed_at ? ` ${when(c.closed_at)}` : ""}`, when(c.opened_at),
            c.tenancy || "–"]), "None of their cases is in your team.", "stacked"),
        others ? h("p", { id: "other-teams" }, `${others} case${others === 1 ? "" : "s"} in other teams.`) : null,
        h("h2", {}, "Their reports"),
        table("Reports they made", ["Report", "Case", "Received", "Behaviour"],
          person.reports.map((r) => [r.reference, caseLink(r.case_reference), when(r.received_at),
            r.behaviours.map(behaviourWords).join(", ") || "–"]), "They have made no report.", "stacked"),
        h("h2", {}, "Tools and powers"),
        table("Tools and powers where they are the alleged perpetrator", ["Tool or power", "Case", "Status", "Recorded"],
          person.measures.map((m) => [m.name, caseLink(m.case_reference),
            `${sentence(m.status)}${m.legal ? ` (approval ${m.approval})` : ""}`, when(m.recorded_at)]),
          "None recorded.", "stacked"),
        // Their escalation across the cases shown: each rung with its case and its steps' dates.
        Array.isArray(person.ladder) && person.ladder.length
          ? h("section", { id: "person-ladder" }, h("h2", {}, "Their ladder of interventions"),
            ladderList(person.ladder, [], true)) : null),
      h("div", { class: "case-actions" },
        h("h2", {}, "Contact"),
        summaryList([["Email", person.email || "–"], ["Phone", person.phone || "–"],
          ["Address", [person.address, person.postcode].filter(Boolean).join(", ") || "–"]]),
        contactSafety(person.contact_safety),
        h("h2", {}, "Vulnerability"),
        person.vulnerability.length ? h("ul", { class: "reasons", id: "vulnerability" },
          person.vulnerability.map((f) => h("li", {}, `${FLAG_KINDS[f.kind] || sentence(f.kind)}, `,
            caseLink(f.case_reference), `: ${f.text}`)))
          : h("p", { class: "empty" }, "No vulnerability is recorded in your cases."))));
}

// Why a case is at a home (asb.case.home_cases.HomeRole), in words.
const HOME_ROLES = {
  place: "the place reported",
  alleged_perpetrators_home: "the alleged perpetrator's home",
  partys_tenancy: "a party's tenancy",
};
const homeRoleWords = (roles) => (roles || []).map((r) => HOME_ROLES[r] || sentence(r)).join("; ");

async function homePage(uprn) {
  const home = await read(`/homes/${encodeURIComponent(uprn)}`);
  const others = home.cases_in_other_teams;
  page(home.address,
    h("div", { class: "case-layout" },
      h("div", { class: "case-main" },
        h("h2", {}, "Cases at this home"),
        table("Cases at this home", ["Case", "Status", "Team", "Opened", "At this home as", "Parties tied to it"],
          home.cases.map((c) => [caseLink(c.reference), sentence(c.status), c.team || "–",
            when(c.opened_at), homeRoleWords(c.home_roles), h("ul", { class: "plain" }, c.parties.map((p) => h("li", {},
              p.person_id ? personLink(p.person_id, roleWords(p.roles)) : roleWords(p.roles),
              ` (${p.tenancy})`)))]),
          "No case in your team is at this home.", "stacked"),
        others ? h("p", { id: "other-teams" }, `${others} case${others === 1 ? "" : "s"} in other teams.`) : null,
        h("h2", {}, "Tenancies"),
        table("Tenancies, current first", ["Tenancy", "Type", "From", "To", "Tenants"],
          home.tenancies.map((t) => [t.current ? h("span", {}, `${t.reference} `, tag("Current", "grey")) : t.reference,
            sentence(t.tenancy_type), when(t.start_date), t.end_date ? when(t.end_date) : "–",
            t.tenants.map((p) => [p.name, p.phone, p.email].filter(Boolean).join(", ")).join("; ")]),
          "No tenancy is recorded.", "stacked")),
      h("div", { class: "case-actions" },
        h("h2", {}, "The home"),
        summaryList([["UPRN", home.uprn], ["Postcode", home.postcode], ["Tenure", sentence(home.tenure)],
          ["Patch", home.patch], ["Ours", home.landlords ? "Yes" : "No: possession and demotion do not apply"],
          home.left_register_on ? ["Left the register", when(home.left_register_on)] : null]))));
}

// ------------------------------------------------------------------ manager
function chart(figures) {
  const rows = Object.entries(figures.first_contact_on_time || {}).map(([category, f]) =>
    [category, f.contacts && typeof f.share === "number" ? 100 * f.share : null]);
  const width = 420; const bar = 28; const gap = 14; const left = 110;
  const height = rows.length * (bar + gap) + gap;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-labelledby", "chart-title");
  svg.setAttribute("class", "chart");
  const title = document.createElementNS(svg.namespaceURI, "title");
  title.id = "chart-title";
  title.textContent = `First contact on time: ${rows.map(([c, p]) => `${words(c)} ${p === null ? "no first contacts yet" : `${p.toFixed(0)}%`}`).join(", ") || "no cases yet"}`;
  svg.append(title);
  rows.forEach(([category, percent], index) => {
    const y = gap + index * (bar + gap);
    const label = document.createElementNS(svg.namespaceURI, "text");
    label.setAttribute("x", "0"); label.setAttribute("y", String(y + bar * 0.7));
    label.textContent = `Category ${words(category)}`;
    const rect = document.createElementNS(svg.namespaceURI, "rect");
    rect.setAttribute("x", String(left)); rect.setAttribute("y", String(y));
    rect.setAttribute("height", String(bar));
    rect.setAttribute("width", String(percent === null ? 0 : Math.max(1, (width - left - 60) * percent / 100)));
    rect.setAttribute("fill", "#1d70b8");
    const value = document.createElementNS(svg.namespaceURI, "text");
    value.setAttribute("x", String(left + (percent === null ? 0 : (width - left - 60) * percent / 100) + 6));
    value.setAttribute("y", String(y + bar * 0.7));
    value.textContent = percent === null ? "No data yet" : `${percent.toFixed(0)}%`;
    svg.append(label, rect, value);
  });
  return svg;
}

// What a decision did, in words: never just "saved".
const decided = (body) => (body.approved ? "Approved. Your decision is recorded on the case; the officer can go ahead."
  : "Refused. Your decision and reason are recorded on the case; nothing goes ahead.");

// A decision from the list: the case's version is read when the manager decides, so that the
// list itself opens no case (each read of a case is an audited view).
function decisionForm(id, title, path, item, done) {
  const context = {
    version: () => withVersion(item.case_reference),
    done,
    conflict: () => {},
  };
  return writeForm({ id, title, button: "Save the decision", path, open: false, done: decided,
    fields: [["approved", "Approve?", "yesno"], ["reason", "Reason", "textarea",
      { hint: "At least 10 characters; the officer and the audit trail see it" }]] }, context);
}

async function withVersion(reference) {
  return (await read(`/cases/${encodeURIComponent(reference)}`)).case.version;
}

async function manager(query, done = null) {
  if (!staff.roles.includes("manager")) {
    page("Manager", notice("This page is for managers.", "warning"));
    return;
  }
  const year = query.get("year") || "";
  const [legal, disclosures, cases, overdue, figures] = await Promise.all([
    read("/legal-approvals"), read("/disclosures"), read("/cases?view=team&limit=100"),
    read("/cases?overdue=true&limit=100"), read(`/figures${year ? `?year=${year}` : ""}`)]);
  const refresh = async (text) => { await manager(query, text); main().focus(); };
  const legalItems = legal.waiting || [];
  const sharingItems = disclosures.waiting || [];
  const workload = {};
  for (const c of (cases.cases || []).filter((x) => x.status !== "closed")) {
    const key = `${c.team}\u0000${c.officer || "unassigned"}`;
    workload[key] ??= { team: c.team, officer: c.officer || "Unassigned", open: 0, emergencies: 0, a: 0, overdue: 0 };
    workload[key].open += 1;
    if (c.emergency) workload[key].emergencies += 1;
    if (c.category === "A") workload[key].a += 1;
  }
  // A date still to come (a hearing tomorrow) is work due, not late: not counted as overdue.
  for (const t of (overdue.overdue || []).filter((t) => t.overdue !== false)) {
    const key = `${t.team}\u0000${t.officer || "unassigned"}`;
    workload[key] ??= { team: t.team, officer: t.officer || "Unassigned", open: 0, emergencies: 0, a: 0, overdue: 0 };
    workload[key].overdue += 1;
  }
  const percent = (value) => (typeof value === "number" ? `${value.toFixed(1)}` : "–");
  page("Manager",
    done ? notice(done, "success") : null,
    h("h2", {}, "Approvals waiting"),
    h("h3", {}, `Legal action (${legalItems.length})`),
    legalItems.length ? h("ul", { class: "approvals" }, legalItems.map((item) => h("li", {},
      h("p", {}, caseLink(item.case_reference), ` – ${item.name || words(item.measure)} against the `
        + `${words(item.subject)}, asked by ${item.by}, due ${when(item.due_at)}`),
      h("p", { class: "hint" }, `Why: ${item.rationale || "–"}`),
      h("p", { class: "hint" }, `Equality impact: ${item.equality_impact || "–"}`),
      decisionForm(`legal-${item.record_id}`, `Decide on ${item.name || words(item.measure)}`,
        `/cases/${encodeURIComponent(item.case_reference)}/measures/${item.record_id}/decision`,
        item, refresh))))
      : h("p", { class: "empty" }, "No legal action is waiting for approval."),
    h("h3", {}, `Sharing with partners (${sharingItems.length})`),
    sharingItems.length ? h("ul", { class: "approvals" }, sharingItems.map((item) => h("li", {},
      h("p", {}, item.urgent ? tag("Urgent", "red") : null, caseLink(item.case_reference),
        ` – ${words(item.kind)} to ${item.partner_name || item.partner_id}, `
        + `asked by ${item.requested_by}, due ${when(item.due_at)}`),
      h("p", { class: "hint" }, `Purpose: ${item.purpose || "–"} · Lawful basis: `
        + `${CATALOGUES.legal_routes?.[item.legal_route] || words(item.legal_route)}`),
      decisionForm(`share-${item.disclosure_id}`, "Decide on this request",
        `/cases/${encodeURIComponent(item.case_reference)}/disclosures/${item.disclosure_id}/decision`,
        item, refresh))))
      : h("p", { class: "empty" }, "No request to share is waiting."),
    h("h2", {}, "Team workload"),
    table("Open cases by officer", ["Officer", "Team", "Open cases", "Emergencies", "Category A", "Overdue work"],
      Object.values(workload).sort(byKey((w) => [w.team, w.officer])).map((w) =>
        [w.officer, w.team, String(w.open), String(w.emergencies), String(w.a), String(w.overdue)]),
      "No open cases."),
    h("h2", {}, `The regulator's figures, ${figures.year}`),
    h("div", { class: "figures" },
      chart(figures),
      table("Tenant satisfaction measures and ASB figures", ["Measure", "Figure"], [
        ["NM01(1): ASB cases per 1,000 homes", percent(figures.nm01_1)],
        ["NM01(2): hate cases per 1,000 homes", percent(figures.nm01_2)],
        ["Cases opened", String(figures.cases_opened)],
        ["Hate incident cases", String(figures.hate_cases)],
        ["TP12: satisfied with the approach to handling ASB (tenant perception survey)",
          typeof figures.tp12_percent === "number" && figures.tp12_survey
            ? `${percent(figures.tp12_percent)}% of ${figures.tp12_survey.base} who answered `
              + `(imported by ${figures.tp12_survey.imported_by} on ${when(figures.tp12_survey.imported_at)})`
            : "Not imported: a manager imports the year's survey"],
        ["Closure satisfaction (local measure)",
          typeof figures.closure_satisfaction_local_measure_percent === "number"
            ? `${percent(figures.closure_satisfaction_local_measure_percent)}% of `
              + `${figures.closure_satisfaction_local_measure_respondents} closure survey answers`
            : "No closure survey answers yet"],
        ...Object.entries(figures.first_contact_on_time || {}).map(([category, f]) =>
          [`First contact on time, category ${words(category)}`, f.contacts
            ? `${f.on_time} of ${f.contacts} (${(100 * f.share).toFixed(0)}%)` : "No first contacts yet"]),
      ], "No figures.")),
    figures.enforcement ? enforcementFigures(figures.year, figures.enforcement) : null);
}

// The year's enforcement outcomes: each tool counted once, in the year it was recorded.
function enforcementFigures(year, e) {
  const asked = (c) => `${c.requested} asked for: ${c.granted} granted, ${c.refused} refused, ${c.waiting} waiting`;
  return h("section", { id: "enforcement-figures" },
    h("h2", {}, `Enforcement outcomes, ${year}`),
    table("Tools and powers recorded in the year, as each stands now", ["Tool or power", "Outcomes"], [
      ["Warnings", `${e.warnings.verbal} verbal, ${e.warnings.first_written} first written, `
        + `${e.warnings.final_written} final written; ${e.warnings.letters_issued} letters issued`],
      ["Interviews", `${e.interviews.held} held`],
      ["Acceptable Behaviour Agreements", `${e.acceptable_behaviour_agreements.made} made: `
        + `${e.acceptable_behaviour_agreements.in_force} in force, ${e.acceptable_behaviour_agreements.kept} kept, `
        + `${e.acceptable_behaviour_agreements.broken} broken, ${e.acceptable_behaviour_agreements.breached} with a breach`],
      ["Injunctions", `${e.injunctions.applied} applied for: ${e.injunctions.granted} granted `
        + `(${e.injunctions.with_power_of_arrest} with a power of arrest), ${e.injunctions.refused} refused, `
        + `${e.injunctions.breached} breached`],
      ["Possession", `${e.possession.notices_served} notices served, ${e.possession.claims} claims, `
        + `${e.possession.orders} orders (${e.possession.outright_orders} outright, ${e.possession.suspended_orders} suspended, `
        + `${e.possession.postponed_orders} postponed)`],
      ["Demoted tenancies", `${e.demoted_tenancies.applied} applied for: ${e.demoted_tenancies.granted} granted`],
      ["Community Protection Notices", asked(e.community_protection_notices)],
      ["Closure orders", asked(e.closure_orders)],
      ["Criminal behaviour orders", asked(e.criminal_behaviour_orders)],
    ], "No figures."));
}

// ------------------------------------------------------------------ the data protection officer
// Open subject access requests, due soonest first; the API says which are overdue (the due day
// has ended) and which may still be extended (within the first month).
async function dpo() {
  if (!staff.roles.includes("dpo")) {
    page("Data protection", notice("This page is for the data protection officer.", "warning"));
    return;
  }
  const open = await read("/subject-access-requests");
  const requests = open.requests || [];
  page("Data protection",
    open.overdue ? notice(`${open.overdue} subject access request${open.overdue === 1 ? " is" : "s are"} overdue.`, "error") : null,
    table(`Open subject access requests (${requests.length})`,
      ["Request", "Received", "Due", "Time left", "Stage"],
      requests.map((r) => [r.reference, when(r.received_on), when(r.due_on),
        r.overdue ? tag(timeLeft(r.due_on), "red") : timeLeft(r.due_on),
        `${sentence(r.status)}${r.may_extend ? " (may still be extended)" : ""}`]),
      "No subject access request is open."));
}

// ------------------------------------------------------------------ the landlord's policy
// The policy the service decides by, and who changed it, when (GET /policy/changes), newest
// first a page at a time; officers and managers.
const CHANGE_TAGS = { "deployment started": "grey", "deployment completed": "blue", "rolled back": "red" };

async function policyPage(query) {
  if (!staff.roles.some((role) => role === "officer" || role === "manager")) {
    page("Policy", notice("This page is for officers and managers.", "warning"));
    return;
  }
  const cursor = query.get("cursor");
  const answer = await read(`/policy/changes?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
  const changes = answer.changes || [];
  page("Policy",
    h("p", { id: "policy-in-force" }, "This service decides by ", h("strong", {}, answer.landlord),
      "'s policy ", h("strong", { id: "policy-in-force-version" }, answer.version), "."),
    table("Who changed the policy, when (newest first)", ["When", "Change", "From", "To", "By"],
      changes.map((c) => [when(c.at), tag(sentence(c.state), CHANGE_TAGS[c.state] || "grey"),
        c.from_version || "–", c.to_version, c.by]),
      "No change of policy has been recorded yet.", "policy-changes"),
    answer.cursor ? h("p", {}, h("a", { id: "policy-older",
      href: `${HOME}?view=policy&cursor=${encodeURIComponent(answer.cursor)}` }, "Older changes")) : null,
    cursor ? h("p", {}, h("a", { href: `${HOME}?view=policy` }, "Newest changes")) : null);
}

// ------------------------------------------------------------------ start
async function start() {
  const query = new URLSearchParams(location.search);
  if (settings.sign_in.local) document.getElementById("local-banner").hidden = false;
  if (query.has("code")) await finishSignIn(query);
  staff = signedIn();
  if (!staff) { await startSignIn(); return; }
  const who = document.getElementById("who");
  who.replaceChildren(`${staff.username} (${staff.roles.join(", ")}${staff.team ? `, ${staff.team}` : ""}) `,
    h("button", { type: "button", class: "link", onclick: signOut }, "Sign out"));
  if (staff.roles.includes("manager")) for (const item of document.querySelectorAll(".manager-only")) item.hidden = false;
  if (staff.roles.includes("dpo")) for (const item of document.querySelectorAll(".dpo-only")) item.hidden = false;
  if (staff.roles.some((role) => role === "officer" || role === "manager")) {
    for (const item of document.querySelectorAll(".policy-readers")) item.hidden = false;
  }
  const current = new URLSearchParams(location.search);
  try {
    if (current.get("case")) await oneCase(current.get("case"));
    else if (current.get("person")) await personPage(current.get("person"));
    else if (current.get("home")) await homePage(current.get("home"));
    else if (current.get("view") === "manager") await manager(current);
    else if (current.get("view") === "dpo") await dpo();
    else if (current.get("view") === "policy") await policyPage(current);
    else await myWork(current);
  } catch (error) {
    page("Something went wrong", notice(error instanceof Problem ? error.message
      : "The console could not load this page. Try again in a moment.", "error"),
    h("p", {}, h("a", { href: HOME }, "Back to my work")));
  }
  main().focus();
}

start();
