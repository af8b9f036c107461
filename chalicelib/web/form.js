/* The referral form: checks the answers as the API does, sends them (POST referrals), uploads each file
   straight to the bucket with its presigned form, then submits (POST referrals/{id}/submit).
   Plain script, no libraries; it talks only to the API and the bucket. User text is only ever set as
   textContent, never as HTML. */
(() => {
  "use strict";

  const form = document.getElementById("referral");
  const MIB = 1024 * 1024;
  const MAX_UPLOAD_MIB = Number(form.dataset.maxUploadMib);
  const openedAt = Date.now(); // the API turns away forms sent within seconds of opening (bots)

  // Repeated entries: their limits (the API's) and what one entry is called.
  const LISTS = {
    prior_surgeries: { max: 20, noun: "Surgery", min: 1 },
    medications: { max: 30, noun: "Medicine", min: 0 },
    documents: { max: 20, noun: "File", min: 0 },
  };

  const VERTEBRAE = [
    ...Array.from({ length: 7 }, (_, n) => `C${n + 1}`),
    ...Array.from({ length: 12 }, (_, n) => `T${n + 1}`),
    ...Array.from({ length: 5 }, (_, n) => `L${n + 1}`),
    "S1",
  ];
  const SEGMENTS = new Set(VERTEBRAE.slice(1).map((lower, n) => `${VERTEBRAE[n]}-${lower}`));

  const CONTENT_TYPES = ["application/pdf", "image/jpeg", "image/png", "application/dicom", "application/zip"];
  // Browsers often give a .dcm file no type at all, and some systems name ZIP and JPEG differently.
  const BY_EXTENSION = {
    pdf: "application/pdf", jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png",
    dcm: "application/dicom", dicom: "application/dicom", zip: "application/zip",
  };
  const TYPE_ALIASES = {
    "application/x-zip-compressed": "application/zip", "application/x-zip": "application/zip",
    "image/pjpeg": "image/jpeg", "image/jpg": "image/jpeg",
  };

  const byId = (id) => document.getElementById(id);
  const control = (name) => form.elements.namedItem(name);
  const text = (name) => (control(name) ? control(name).value.trim() : "");
  const pad = (n) => String(n).padStart(2, "0");

  function today() {
    const now = new Date();
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  function yesNo(name) {
    const value = text(name);
    return value === "true" ? true : value === "false" ? false : null;
  }

  function lines(value, separator) {
    return value.split(separator).map((item) => item.trim()).filter(Boolean);
  }

  /** Copies the non-empty values into target; returns whether anything was copied. */
  function fill(target, prefix, keys) {
    let any = false;
    for (const key of keys) {
      const value = text(prefix + key);
      if (value !== "") {
        target[key] = value;
        any = true;
      }
    }
    return any;
  }

  // ---------------------------------------------------------------- spinal levels

  /** "l4-5", "L5/S1", "L5 S1" -> "L4-L5", "L5-S1"; anything else is left for the check to name. */
  function normalizeLevel(raw) {
    const compact = raw.toUpperCase().replace(/\s+/g, "").replace(/[–—/]/g, "-");
    const match = compact.match(/^([CTLS])(\d{1,2})-?([CTLS])?(\d{1,2})$/);
    return match ? `${match[1]}${match[2]}-${match[3] || match[1]}${match[4]}` : compact;
  }

  function parseLevels(value) {
    return lines(value, /[,;]|\band\b/i).map(normalizeLevel);
  }

  function levelsProblem(levels) {
    if (levels.length === 0) return "Please enter at least one level, such as L4-L5.";
    if (levels.length > 10) return "Please list at most 10 levels.";
    for (const level of levels) {
      if (!SEGMENTS.has(level)) {
        return `'${level}' is not a spinal segment; use adjacent levels such as L4-L5 or L5-S1`;
      }
    }
    if (new Set(levels).size !== levels.length) return "lists a level twice";
    return null;
  }

  // ---------------------------------------------------------------- files

  function contentTypeOf(file) {
    const declared = TYPE_ALIASES[file.type] || file.type;
    if (CONTENT_TYPES.includes(declared)) return declared;
    const dot = file.name.lastIndexOf(".");
    return dot >= 0 ? BY_EXTENSION[file.name.slice(dot + 1).toLowerCase()] || null : null;
  }

  function fileProblem(file) {
    if (!file) return "Please choose the file, or remove this entry.";
    if (!contentTypeOf(file)) {
      return "This kind of file can't be sent. Please choose a PDF, JPEG, PNG, DICOM (.dcm) or ZIP file; scans on a CD can be put in a ZIP file.";
    }
    if (file.size === 0) return "This file is empty.";
    if (file.size > MAX_UPLOAD_MIB * MIB) {
      return `This file is larger than ${MAX_UPLOAD_MIB} MB. Please send a smaller copy, or split it into several files.`;
    }
    return null;
  }

  // ---------------------------------------------------------------- the request, as the API takes it

  function entries(list) {
    return Array.from(byId(list).querySelectorAll(":scope > [data-entry]"), (_, index) => index);
  }

  /** The request body; files are returned beside it, in the order of its documents. */
  function collect() {
    const patient = {};
    fill(patient, "patient.", ["first_name", "last_name", "date_of_birth", "sex", "email", "phone", "preferred_contact"]);
    const address = {};
    if (fill(address, "patient.address.", ["line1", "line2", "city", "state", "postal_code"])) {
      fill(address, "patient.address.", ["country"]);
      if (address.country) address.country = address.country.toUpperCase();
      patient.address = address;
    }
    const request = { patient };
    const physician = {};
    if (fill(physician, "referring_physician.", ["name", "npi", "phone", "email"])) request.referring_physician = physician;
    const insurance = {};
    if (fill(insurance, "insurance.", ["carrier", "member_id", "group_number"])) request.insurance = insurance;

    request.prior_surgeries = entries("prior_surgeries").map((i) => {
      const prefix = `prior_surgeries.${i}.`;
      const surgery = { spinal_levels: parseLevels(text(`${prefix}spinal_levels`)) };
      fill(surgery, prefix, ["procedure", "approach", "date", "surgeon", "facility", "outcome", "complications"]);
      const hardware = yesNo(`${prefix}hardware_implanted`);
      if (hardware !== null) surgery.hardware_implanted = hardware;
      return surgery;
    });

    const symptoms = {};
    for (const name of ["back_pain", "leg_pain"]) {
      const slider = control(`symptoms.${name}`);
      if (!("untouched" in slider.dataset)) symptoms[name] = Number(slider.value);
    }
    fill(symptoms, "symptoms.", ["sciatica", "onset"]);
    for (const name of ["numbness", "weakness"]) {
      const answer = yesNo(`symptoms.${name}`);
      if (answer !== null) symptoms[name] = answer;
    }
    const places = lines(text("symptoms.numbness_locations"), ",");
    if (places.length) symptoms.numbness_locations = places;
    for (const flag of ["bladder_or_bowel_changes", "saddle_numbness", "progressive_weakness", "fever_or_chills"]) {
      symptoms[flag] = yesNo(`symptoms.${flag}`) === true;
    }
    request.symptoms = symptoms;

    const oswestry = Array.from({ length: 10 }, (_, n) => {
      const value = text(`function.oswestry.${n}`);
      return value === "" ? null : Number(value);
    });
    if (oswestry.some((item) => item !== null)) request.function = { oswestry };

    const psychological = {};
    const phq2 = [text("psychological.phq2.0"), text("psychological.phq2.1")];
    if (phq2.some((item) => item !== "")) psychological.phq2 = phq2.map((item) => (item === "" ? null : Number(item)));
    const sleep = yesNo("psychological.sleep_disturbance");
    if (sleep !== null) psychological.sleep_disturbance = sleep;
    if (Object.keys(psychological).length) request.psychological = psychological;

    request.medications = entries("medications").map((i) => {
      const medication = {};
      fill(medication, `medications.${i}.`, ["name", "dose", "frequency"]);
      medication.opioid = control(`medications.${i}.opioid`).checked;
      return medication;
    });

    const history = {};
    for (const name of ["conditions", "allergies"]) {
      const items = lines(text(`medical_history.${name}`), "\n");
      if (items.length) history[name] = items;
    }
    const smoker = yesNo("medical_history.smoker");
    if (smoker !== null) history.smoker = smoker;
    for (const name of ["height_cm", "weight_kg"]) {
      const value = text(`medical_history.${name}`);
      if (value !== "") history[name] = Number(value);
    }
    if (Object.keys(history).length) request.medical_history = history;

    fill(request, "", ["goals"]);

    const files = [];
    request.documents = entries("documents").map((i) => {
      const file = control(`documents.${i}.file`).files[0] || null;
      files.push(file);
      const study = {};
      fill(study, `documents.${i}.`, ["kind", "study_date"]);
      if (file) {
        study.filename = file.name;
        study.content_type = contentTypeOf(file);
        study.size_bytes = file.size;
      }
      return study;
    });

    const consent = {
      privacy_notice_accepted: control("consent.privacy_notice_accepted").checked,
      contact_permission: control("consent.contact_permission").checked,
    };
    fill(consent, "consent.", ["signature_name"]);
    request.consent = consent;
    return { request, files };
  }

  // ---------------------------------------------------------------- checks that mirror the API's

  const REQUIRED = "Please fill this in.";
  const CHOOSE = "Please choose one.";

  function age(birth, on) {
    const [by, bm, bd] = birth.split("-").map(Number);
    const [ty, tm, td] = on.split("-").map(Number);
    return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
  }

  function check(request, files) {
    const errors = [];
    const fail = (field, message) => errors.push({ field, message });
    const now = today();
    const { patient } = request;

    if (!patient.first_name) fail("patient.first_name", REQUIRED);
    if (!patient.last_name) fail("patient.last_name", REQUIRED);
    const birth = patient.date_of_birth;
    if (!birth) fail("patient.date_of_birth", REQUIRED);
    else if (!/^\d{4}-\d{2}-\d{2}$/.test(birth)) fail("patient.date_of_birth", "Please enter the date as year, month and day.");
    else if (age(birth, now) < 18 || age(birth, now) > 120) {
      fail("patient.date_of_birth", "This service is for adults: age must be 18 to 120. Please check the year.");
    }
    if (!patient.email) fail("patient.email", REQUIRED);
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(patient.email)) fail("patient.email", "This doesn't look like an email address; please check it.");
    if (!patient.phone) fail("patient.phone", REQUIRED);
    else if ((patient.phone.match(/\d/g) || []).length < 7) fail("patient.phone", "Please enter the whole number, with the area code.");
    if (patient.address) {
      for (const key of ["line1", "city"]) if (!patient.address[key]) fail(`patient.address.${key}`, REQUIRED);
      if (!patient.address.postal_code || patient.address.postal_code.length < 2) fail("patient.address.postal_code", REQUIRED);
      if (patient.address.country && !/^[A-Z]{2}$/.test(patient.address.country)) {
        fail("patient.address.country", "Please use the two-letter country code, such as US.");
      }
    }
    const physician = request.referring_physician;
    if (physician) {
      if (!physician.name) fail("referring_physician.name", "Please give the doctor's name, or empty the doctor's details.");
      if (physician.npi && !/^\d{10}$/.test(physician.npi)) fail("referring_physician.npi", "An NPI number has 10 digits.");
    }
    if (request.insurance && !request.insurance.carrier) {
      fail("insurance.carrier", "Please give the insurance company, or empty the insurance details.");
    }

    if (request.prior_surgeries.length === 0) fail("prior_surgeries", "Please tell us about at least one surgery.");
    request.prior_surgeries.forEach((surgery, i) => {
      const at = `prior_surgeries.${i}`;
      if (!surgery.procedure) fail(`${at}.procedure`, CHOOSE);
      const levels = levelsProblem(surgery.spinal_levels);
      if (levels) fail(`${at}.spinal_levels`, levels);
      if (!surgery.date) fail(`${at}.date`, "Please give at least the month and year.");
      else if (!/^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$/.test(surgery.date)) fail(`${at}.date`, "Please use the form YYYY-MM, for example 2019-06.");
      else if (surgery.date > now.slice(0, surgery.date.length)) fail(`${at}.date`, "This date is in the future.");
      else if (birth && surgery.date < birth.slice(0, surgery.date.length)) fail(`${at}.date`, "This date is before your date of birth.");
    });

    for (const name of ["back_pain", "leg_pain"]) {
      if (request.symptoms[name] === undefined) fail(`symptoms.${name}`, "Please move the slider to show how bad the pain is, from 0 to 10.");
    }
    if ((request.symptoms.numbness_locations || []).length > 10) fail("symptoms.numbness_locations", "Please name at most 10 places.");

    const phq2 = request.psychological && request.psychological.phq2;
    if (phq2) {
      phq2.forEach((answer, n) => {
        if (answer === null) fail(`psychological.phq2.${n}`, "Please answer this question too, or neither of the two.");
      });
    }

    request.medications.forEach((medication, i) => {
      if (!medication.name) fail(`medications.${i}.name`, "Please give the medicine's name, or remove this entry.");
    });

    const history = request.medical_history || {};
    for (const [name, low, high, unit] of [["height_cm", 100, 250, "cm"], ["weight_kg", 25, 350, "kg"]]) {
      const value = history[name];
      if (control(`medical_history.${name}`).validity.badInput || (value !== undefined && Number.isNaN(value))) {
        fail(`medical_history.${name}`, "Please enter a number.");
      } else if (value !== undefined && (value < low || value > high)) {
        fail(`medical_history.${name}`, `Please enter a value from ${low} to ${high} ${unit}.`);
      }
    }
    for (const name of ["conditions", "allergies"]) {
      const items = history[name] || [];
      if (items.length > 30) fail(`medical_history.${name}`, "Please list at most 30, one per line.");
      if (items.some((item) => item.length > 200)) fail(`medical_history.${name}`, "Please keep each line under 200 characters.");
    }

    if (request.documents.length > LISTS.documents.max) fail("documents", `Please send at most ${LISTS.documents.max} files.`);
    request.documents.forEach((study, i) => {
      const problem = fileProblem(files[i]);
      if (problem) fail(`documents.${i}.file`, problem);
      if (!study.kind) fail(`documents.${i}.kind`, CHOOSE);
      if (study.study_date && study.study_date > now) fail(`documents.${i}.study_date`, "This date is in the future.");
    });

    if (!request.consent.privacy_notice_accepted) {
      fail("consent.privacy_notice_accepted", "Please tick this box to agree, so that we can review your case.");
    }
    return errors;
  }

  // ---------------------------------------------------------------- errors next to their fields

  const summary = byId("form-errors");

  /** The box showing a field's error: the API's path, or the nearest enclosing one that has a box. */
  function boxFor(field) {
    // A document's file carries its name, type and size, and a 409 names the document itself.
    let path = field.replace(/^(documents\.\d+)(\.(filename|content_type|size_bytes))?$/, "$1.file");
    while (path) {
      const box = form.querySelector(`[data-field="${CSS.escape(path)}"]`);
      if (box) return box;
      path = path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : "";
    }
    return null;
  }

  /** Server messages often continue the field's name ("is required"); those get it in front. */
  function sentence(label, message) {
    const whole = /^(is|are|has|lists|must) /.test(message) && label ? `${label} ${message}` : message;
    const capital = whole.charAt(0).toUpperCase() + whole.slice(1);
    return /[.!?]$/.test(capital) ? capital : `${capital}.`;
  }

  function clearErrors() {
    for (const box of form.querySelectorAll("[data-field].invalid")) {
      box.classList.remove("invalid");
      box.querySelector(".error").textContent = "";
    }
    for (const invalid of form.querySelectorAll("[aria-invalid]")) invalid.removeAttribute("aria-invalid");
    summary.replaceChildren();
    summary.hidden = true;
  }

  function showErrors(errors) {
    clearErrors();
    const general = [];
    const boxes = [];
    for (const { field, message } of errors) {
      const box = boxFor(field);
      if (!box) {
        general.push(sentence("", message));
        continue;
      }
      const out = box.querySelector(".error");
      const line = sentence(box.dataset.label, message);
      out.textContent = out.textContent ? `${out.textContent} ${line}` : line;
      box.classList.add("invalid");
      for (const input of box.querySelectorAll("input, select, textarea")) input.setAttribute("aria-invalid", "true");
      if (!boxes.includes(box)) boxes.push(box);
    }
    boxes.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    const lines = [...general];
    if (boxes.length) {
      lines.push(boxes.length === 1 ? "Please check the answer marked below." : `Please check the ${boxes.length} answers marked below.`);
    }
    for (const line of lines) {
      const p = document.createElement("p");
      p.textContent = line;
      summary.append(p);
    }
    summary.hidden = lines.length === 0;
    const first = boxes[0];
    if (first) {
      const input = first.querySelector("input:not([type=hidden]), select, textarea");
      if (input) {
        input.focus();
      } else {
        first.tabIndex = -1;
        first.focus();
      }
    } else if (!summary.hidden) {
      summary.focus();
    }
  }

  // ---------------------------------------------------------------- repeated entries

  function renumber(list) {
    const items = byId(list).querySelectorAll(":scope > [data-entry]");
    const numbered = new RegExp(`${list}\\.(\\d+|__i__)`, "g");
    items.forEach((item, index) => {
      for (const element of item.querySelectorAll("*")) {
        for (const attribute of ["id", "name", "for", "data-field", "aria-describedby"]) {
          const value = element.getAttribute(attribute);
          if (value) element.setAttribute(attribute, value.replace(numbered, `${list}.${index}`));
        }
      }
      for (const number of item.querySelectorAll("[data-number]")) number.textContent = String(index + 1);
      for (const remove of item.querySelectorAll("[data-remove]")) remove.hidden = items.length <= LISTS[list].min;
    });
    form.querySelector(`[data-add="${list}"]`).hidden = items.length >= LISTS[list].max;
  }

  function announce(list, message) {
    form.querySelector(`[data-announce="${list}"]`).textContent = message;
  }

  function addEntry(list) {
    const item = byId(`${list}-template`).content.firstElementChild.cloneNode(true);
    for (const input of item.querySelectorAll('input[type="date"]')) input.max = today();
    for (const input of item.querySelectorAll('input[type="month"]')) input.max = today().slice(0, 7);
    byId(list).append(item);
    renumber(list);
    return item;
  }

  function removeEntry(item) {
    const list = item.parentElement.dataset.list;
    const next = item.nextElementSibling;
    item.remove();
    renumber(list);
    announce(list, `${LISTS[list].noun} removed.`);
    (next ? next.querySelector("input, select, textarea") : form.querySelector(`[data-add="${list}"]`)).focus();
  }

  // ---------------------------------------------------------------- sending

  let saved = null; // the API's 201 answer, once the referral is stored
  let lastCreate = null; // { key, body } of the last create sent: a retry of the same body reuses its key
  let jobs = []; // one upload per document
  let busy = false;
  let done = false;
  const sendButton = byId("send");
  const sendStatus = byId("send-status");

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function readErrors(answer) {
    try {
      const body = await answer.json();
      if (Array.isArray(body.errors)) return body.errors;
    } catch {
      // not JSON: a proxy or gateway page; the generic message below says what to do
    }
    return [{ field: "form", message: `Something went wrong on our side (${answer.status}). Please press Send again in a minute; your answers are still here.` }];
  }

  const OFFLINE = "We could not reach our server. Please check your internet connection and press Send again; your answers are still here.";

  /** POST referrals; the same body goes with the same Idempotency-Key, so a retry never makes a second referral. */
  async function create(body) {
    if (!lastCreate || lastCreate.body !== body) lastCreate = { key: newKey(), body };
    const answer = await fetch("referrals", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Idempotency-Key": lastCreate.key,
        "X-Form-Honeypot": encodeURIComponent(byId("website").value),
        "X-Form-Elapsed-Ms": String(Date.now() - openedAt),
      },
      body,
    });
    return answer;
  }

  function lock() {
    for (const section of form.querySelectorAll("fieldset.section")) section.disabled = true;
  }

  function postFile(upload, file, type, onProgress) {
    return new Promise((resolve, reject) => {
      const body = new FormData();
      for (const [name, value] of Object.entries(upload.fields)) body.append(name, value);
      // The file goes last: S3 reads the policy fields before it.
      body.append("file", file.slice(0, file.size, type), file.name);
      const request = new XMLHttpRequest();
      request.open("POST", upload.url);
      request.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      });
      request.addEventListener("load", () => (request.status >= 200 && request.status < 300 ? resolve() : reject(new Error(`status ${request.status}`))));
      request.addEventListener("error", () => reject(new Error("network")));
      request.addEventListener("abort", () => reject(new Error("aborted")));
      request.send(body);
    });
  }

  /** The document's upload form, asked for again (same key, same body) once it is about to expire. */
  async function uploadForm(index) {
    const upload = saved.uploads[index];
    if (Date.parse(upload.expires_at) - Date.now() > 60_000) return upload;
    const answer = await create(lastCreate.body);
    if (answer.status !== 201) throw new Error(`status ${answer.status}`);
    saved.uploads = (await answer.json()).uploads;
    return saved.uploads[index];
  }

  function makeJob(index, file) {
    const row = byId("upload-template").content.firstElementChild.cloneNode(true);
    const job = {
      index,
      file,
      row,
      uploaded: false,
      problem: null,
      progress: row.querySelector("[data-progress]"),
      status: row.querySelector("[data-status]"),
      retry: row.querySelector("[data-retry]"),
    };
    row.querySelector("[data-name]").textContent = file.name;
    job.progress.setAttribute("aria-label", `Upload of ${file.name}`);
    byId("uploads").append(row);
    return job;
  }

  /** Uploads one file; after a failure, waits for its Retry button and tries again, until it is there. */
  async function uploadUntilDone(job) {
    for (;;) {
      if (job.problem) {
        job.status.textContent = job.problem;
        job.row.classList.add("failed");
        job.retry.hidden = false;
        await new Promise((resolve) => job.retry.addEventListener("click", resolve, { once: true }));
        job.retry.hidden = true;
        job.row.classList.remove("failed");
        job.problem = null;
      }
      job.progress.value = 0;
      job.status.textContent = "Uploading…";
      try {
        const upload = await uploadForm(job.index);
        await postFile(upload, job.file, contentTypeOf(job.file), (fraction) => {
          job.progress.value = Math.round(fraction * 100);
        });
        job.progress.value = 100;
        job.status.textContent = "Uploaded.";
        job.uploaded = true;
        return;
      } catch {
        job.problem = "This file did not upload, perhaps because the connection dropped.";
      }
    }
  }

  function showConfirmation() {
    done = true;
    byId("reference-number").textContent = saved.referral_id;
    if (saved.emergency_guidance) {
      byId("confirmation-guidance-text").textContent = saved.emergency_guidance;
      byId("confirmation-guidance").hidden = false;
    }
    // The answers need not stay in a page that may be left open on a shared computer.
    form.reset();
    byId("form-view").hidden = true;
    byId("confirmation").hidden = false;
    window.scrollTo(0, 0);
    byId("confirmation-title").focus();
  }

  /** Uploads what is not there yet, then submits; a 409 sends the files it names back for a retry. */
  async function deliver() {
    for (;;) {
      const waiting = jobs.filter((job) => !job.uploaded);
      if (waiting.length) {
        sendStatus.textContent = `Your answers are saved. Now sending your ${jobs.length === 1 ? "file" : "files"}; please keep this page open.`;
        await Promise.all(waiting.map(uploadUntilDone));
      }
      sendStatus.textContent = "Checking your files…";
      let answer;
      try {
        answer = await fetch(`referrals/${encodeURIComponent(saved.referral_id)}/submit`, { method: "POST" });
      } catch {
        throw [{ field: "form", message: OFFLINE }];
      }
      if (answer.ok) return showConfirmation();
      const errors = await readErrors(answer);
      const named = errors.map((error) => /^documents\.(\d+)$/.exec(error.field));
      if (answer.status !== 409 || named.some((match) => !match || !jobs[Number(match[1])])) throw errors;
      errors.forEach((error, n) => {
        const job = jobs[Number(named[n][1])];
        job.uploaded = false;
        job.problem = sentence("", error.message);
      });
    }
  }

  async function send(event) {
    event.preventDefault();
    if (busy || done) return;
    busy = true;
    sendButton.disabled = true;
    try {
      if (!saved) {
        const { request, files } = collect();
        const problems = check(request, files);
        if (problems.length) return showErrors(problems);
        clearErrors();
        sendStatus.textContent = "Sending your answers…";
        let answer;
        try {
          answer = await create(JSON.stringify(request));
        } catch {
          throw [{ field: "form", message: OFFLINE }];
        }
        if (answer.status !== 201) throw await readErrors(answer);
        saved = await answer.json();
        lock();
        jobs = files.map((file, index) => makeJob(index, file));
        byId("uploads").hidden = jobs.length === 0;
        sendStatus.tabIndex = -1;
        sendStatus.focus();
      }
      if (saved.status === "submitted") return showConfirmation();
      await deliver();
    } catch (errors) {
      sendStatus.textContent = "";
      if (!Array.isArray(errors)) throw errors;
      showErrors(errors);
      if (saved) sendButton.textContent = "Try sending again";
    } finally {
      busy = false;
      sendButton.disabled = done;
    }
  }

  // ---------------------------------------------------------------- wiring

  function markSlider(slider) {
    delete slider.dataset.untouched;
    const words = `${slider.value} out of 10`;
    byId(`${slider.id}-value`).textContent = words;
    slider.setAttribute("aria-valuetext", words);
  }

  for (const slider of form.querySelectorAll('input[type="range"]')) {
    slider.addEventListener("input", () => markSlider(slider));
    // Choosing the value the thumb already shows fires no input event: a click or key on it counts too.
    slider.addEventListener("pointerup", () => markSlider(slider));
    slider.addEventListener("keyup", (event) => {
      if (event.key !== "Tab" && event.key !== "Shift") markSlider(slider);
    });
  }

  function showRedFlagGuidance() {
    const any = Array.from(form.querySelectorAll("input[data-red-flag]")).some((input) => input.checked);
    byId("red-flag-guidance").hidden = !any;
  }

  let edited = false;
  form.addEventListener("change", (event) => {
    edited = true;
    const target = event.target;
    if (target.type === "radio") showRedFlagGuidance();
    if (target.type === "file") {
      const box = boxFor(target.name);
      const problem = target.files[0] ? fileProblem(target.files[0]) : null;
      box.classList.toggle("invalid", Boolean(problem));
      box.querySelector(".error").textContent = problem || "";
      if (problem) target.setAttribute("aria-invalid", "true");
      else target.removeAttribute("aria-invalid");
    }
    if (/^prior_surgeries\.\d+\.spinal_levels$/.test(target.name)) {
      const levels = parseLevels(target.value);
      if (levels.length && !levelsProblem(levels)) target.value = levels.join(", ");
    }
  });

  form.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add]");
    if (add) {
      const list = add.dataset.add;
      const item = addEntry(list);
      announce(list, `${LISTS[list].noun} ${byId(list).children.length} added.`);
      item.querySelector("input, select, textarea").focus();
      return;
    }
    const remove = event.target.closest("[data-remove]");
    if (remove) removeEntry(remove.closest("[data-entry]"));
  });

  form.addEventListener("submit", send);

  // Twenty minutes of answers should not vanish with one wrong tap on "back".
  window.addEventListener("beforeunload", (event) => {
    if (edited && !done) event.preventDefault();
  });

  for (const span of document.querySelectorAll("[data-upload-limit]")) span.textContent = String(MAX_UPLOAD_MIB);
  control("patient.date_of_birth").max = today();
  addEntry("prior_surgeries");
})();
