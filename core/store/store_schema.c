/* store_schema.c — the database schema, one SQL script per version.
 *
 * Version N's script (a NULL-terminated list of statements) takes a database at user_version
 * N-1 to N. Scripts are applied in order inside one transaction each. Never edit a released script:
 * add the next one. (Version 1 is unreleased while the project bootstraps; it holds the whole data
 * model.) */
#include "store/store_internal.h"

static const char *const schema_v1[] = {
    /* A parcours, as the LMS or the import names it. */
    "CREATE TABLE program ("
    "  id INTEGER PRIMARY KEY,"
    "  source TEXT NOT NULL, ext_id TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  length_days INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (source, ext_id));",

    "CREATE TABLE cohort ("
    "  id INTEGER PRIMARY KEY,"
    "  program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,"
    "  source TEXT NOT NULL, ext_id TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  start_day TEXT, end_day TEXT,"
    "  UNIQUE (source, ext_id));",
    "CREATE INDEX cohort_program ON cohort(program_id);",

    "CREATE TABLE learner ("
    "  id INTEGER PRIMARY KEY,"
    "  source TEXT NOT NULL, ext_id TEXT NOT NULL,"
    "  first_name TEXT NOT NULL DEFAULT '', last_name TEXT NOT NULL DEFAULT '',"
    "  email TEXT, phone TEXT, manager TEXT, manager_email TEXT, department TEXT, lang TEXT,"
    "  UNIQUE (source, ext_id));",
    "CREATE INDEX learner_name ON learner(last_name COLLATE NOCASE, first_name COLLATE NOCASE);",

    /* Learner x cohort. Rolling enrolment: each has its own start and expected end. */
    "CREATE TABLE enrollment ("
    "  id INTEGER PRIMARY KEY,"
    "  learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,"
    "  cohort_id INTEGER NOT NULL REFERENCES cohort(id) ON DELETE CASCADE,"
    "  source TEXT NOT NULL, ext_id TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'active'"
    "    CHECK (status IN ('active','completed','withdrawn','failed')),"
    "  start_day TEXT, expected_end_day TEXT, ended_day TEXT,"
    "  progress REAL CHECK (progress IS NULL OR (progress >= 0 AND progress <= 1)),"
    "  last_activity_day TEXT,"
    "  outcome TEXT,"
    "  UNIQUE (source, ext_id),"
    "  UNIQUE (learner_id, cohort_id));",
    "CREATE INDEX enrollment_cohort ON enrollment(cohort_id, status);",

    /* A step of the course: a progress threshold (25 %), a named test with a due day. */
    "CREATE TABLE milestone ("
    "  id INTEGER PRIMARY KEY,"
    "  program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,"
    "  cohort_id INTEGER REFERENCES cohort(id) ON DELETE CASCADE,"
    "  source TEXT NOT NULL, ext_id TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  kind TEXT NOT NULL DEFAULT 'other' CHECK (kind IN ('progress','test','other')),"
    "  threshold REAL,"
    "  due_day TEXT,"
    "  due_offset INTEGER,"
    "  weight REAL NOT NULL DEFAULT 0,"
    "  UNIQUE (source, ext_id));",
    "CREATE INDEX milestone_program ON milestone(program_id);",

    /* celebrated_at: when the LCM acknowledged (congratulated) it; NULL = to celebrate. */
    "CREATE TABLE milestone_done ("
    "  enrollment_id INTEGER NOT NULL REFERENCES enrollment(id) ON DELETE CASCADE,"
    "  milestone_id INTEGER NOT NULL REFERENCES milestone(id) ON DELETE CASCADE,"
    "  day TEXT NOT NULL,"
    "  score REAL,"
    "  celebrated_at INTEGER,"
    "  PRIMARY KEY (enrollment_id, milestone_id)) WITHOUT ROWID;",
    "CREATE INDEX milestone_done_milestone ON milestone_done(milestone_id);",

    /* The daily aggregate every source is reduced to: up to 15M rows, keyed for range scans
     * of one enrollment's history and for one day across enrollments. */
    "CREATE TABLE activity_day ("
    "  enrollment_id INTEGER NOT NULL REFERENCES enrollment(id) ON DELETE CASCADE,"
    "  day TEXT NOT NULL,"
    "  sessions INTEGER NOT NULL DEFAULT 0,"
    "  minutes INTEGER NOT NULL DEFAULT 0,"
    "  actions INTEGER NOT NULL DEFAULT 0,"
    "  progress REAL,"
    "  PRIMARY KEY (enrollment_id, day)) WITHOUT ROWID;",

    /* Append-only log of every contact. Triggers below refuse UPDATE, and DELETE unless the
     * learner is being erased (a row in erase_request). */
    "CREATE TABLE checkin ("
    "  id INTEGER PRIMARY KEY,"
    "  learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,"
    "  enrollment_id INTEGER REFERENCES enrollment(id) ON DELETE CASCADE,"
    "  at INTEGER NOT NULL,"
    "  channel TEXT NOT NULL CHECK (channel IN ('call','email','chat','meeting','note')),"
    "  direction TEXT NOT NULL DEFAULT 'out' CHECK (direction IN ('out','in')),"
    "  outcome TEXT, note TEXT, next_step TEXT, author TEXT,"
    "  followup_id INTEGER, message_id INTEGER);",
    "CREATE INDEX checkin_learner ON checkin(learner_id, at);",
    "CREATE INDEX checkin_enrollment ON checkin(enrollment_id, at);",
    "CREATE TABLE erase_request (learner_id INTEGER PRIMARY KEY);",
    "CREATE TRIGGER checkin_no_update BEFORE UPDATE ON checkin"
    "  BEGIN SELECT RAISE(ABORT, 'check-ins are append-only'); END;",
    "CREATE TRIGGER checkin_no_delete BEFORE DELETE ON checkin"
    "  WHEN NOT EXISTS (SELECT 1 FROM erase_request WHERE learner_id = OLD.learner_id)"
    "  BEGIN SELECT RAISE(ABORT, 'check-ins are append-only'); END;",

    /* One-on-one calls and reminders. uid/sequence/etag/push_state serve iCalendar/CalDAV. */
    "CREATE TABLE followup ("
    "  id INTEGER PRIMARY KEY,"
    "  learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,"
    "  enrollment_id INTEGER REFERENCES enrollment(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL DEFAULT 'call' CHECK (kind IN ('call','reminder')),"
    "  due_at INTEGER NOT NULL,"
    "  duration_min INTEGER NOT NULL DEFAULT 30,"
    "  status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','done','cancelled')),"
    "  title TEXT, note TEXT,"
    "  checkin_id INTEGER REFERENCES checkin(id),"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    "  uid TEXT UNIQUE, sequence INTEGER NOT NULL DEFAULT 0,"
    "  etag TEXT, push_state TEXT NOT NULL DEFAULT 'dirty');",
    "CREATE INDEX followup_due ON followup(status, due_at);",
    "CREATE INDEX followup_learner ON followup(learner_id, due_at);",

    "CREATE TABLE message ("
    "  id INTEGER PRIMARY KEY,"
    "  learner_id INTEGER REFERENCES learner(id) ON DELETE CASCADE,"
    "  enrollment_id INTEGER REFERENCES enrollment(id) ON DELETE CASCADE,"
    "  template TEXT, lang TEXT, rule TEXT,"
    "  to_addr TEXT, subject TEXT NOT NULL DEFAULT '', body TEXT NOT NULL DEFAULT '',"
    "  status TEXT NOT NULL DEFAULT 'draft'"
    "    CHECK (status IN ('draft','queued','sending','sent','failed','skipped')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_at INTEGER,"
    "  error TEXT,"
    "  msgid TEXT,"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, sent_at INTEGER,"
    "  checkin_id INTEGER REFERENCES checkin(id),"
    /* bcc: an envelope copy (the LCM); att_*: an optional part such as an invitation. */
    "  bcc TEXT, att_type TEXT, att_name TEXT, att_data TEXT);",
    "CREATE INDEX message_status ON message(status, next_attempt_at);",
    "CREATE INDEX message_learner ON message(learner_id, created_at);",
    /* Sequence rules that fired: once per rule, enrollment and key (a milestone id, the last
     * activity day of an inactivity episode), whatever became of the draft. */
    "CREATE TABLE sequence_fired ("
    "  rule TEXT NOT NULL,"
    "  enrollment_id INTEGER NOT NULL REFERENCES enrollment(id) ON DELETE CASCADE,"
    "  key TEXT NOT NULL,"
    "  day TEXT NOT NULL,"
    "  message_id INTEGER,"
    "  PRIMARY KEY (rule, enrollment_id, key)) WITHOUT ROWID;",

    /* Latest risk per enrollment. reasons: one reason per line, most important first.
     * snoozed: 1 while an active snooze hides it from the triage list (set by the snooze
     * triggers below, cleared by risk_update_all on expiry or early return). */
    "CREATE TABLE risk ("
    "  enrollment_id INTEGER PRIMARY KEY REFERENCES enrollment(id) ON DELETE CASCADE,"
    "  day TEXT NOT NULL,"
    "  score REAL NOT NULL,"
    "  level INTEGER NOT NULL,"
    "  reasons TEXT NOT NULL DEFAULT '',"
    "  signals TEXT,"
    "  flagged_since TEXT,"
    "  snoozed INTEGER NOT NULL DEFAULT 0,"
    "  raw REAL NOT NULL DEFAULT 0);", /* the sum before the clamp at 100: orders ties */
    "CREATE INDEX risk_triage ON risk(snoozed, level DESC, score DESC, raw DESC);",

    "CREATE TABLE snooze ("
    "  id INTEGER PRIMARY KEY,"
    "  enrollment_id INTEGER NOT NULL REFERENCES enrollment(id) ON DELETE CASCADE,"
    "  created_at INTEGER NOT NULL,"
    "  until_day TEXT NOT NULL,"
    "  reason TEXT,"
    "  score_at REAL,"
    "  feedback TEXT,"
    "  active INTEGER NOT NULL DEFAULT 1);",
    "CREATE INDEX snooze_enrollment ON snooze(enrollment_id, active);",
    "CREATE TRIGGER snooze_hides AFTER INSERT ON snooze WHEN NEW.active = 1"
    "  BEGIN UPDATE risk SET snoozed = 1 WHERE enrollment_id = NEW.enrollment_id; END;",
    "CREATE TRIGGER snooze_ends AFTER UPDATE OF active ON snooze"
    "  WHEN OLD.active = 1 AND NEW.active = 0"
    "  BEGIN UPDATE risk SET snoozed = 0 WHERE enrollment_id = NEW.enrollment_id"
    "    AND NOT EXISTS (SELECT 1 FROM snooze WHERE enrollment_id = NEW.enrollment_id"
    "      AND active = 1); END;",
    /* The "to celebrate" list reads the pending ones only. */
    "CREATE INDEX milestone_done_pending ON milestone_done(day) WHERE celebrated_at IS NULL;",

    "CREATE TABLE sync_state ("
    "  source TEXT PRIMARY KEY,"
    "  cursor TEXT,"
    "  updated_at INTEGER NOT NULL);",

    "CREATE TABLE sync_run ("
    "  id INTEGER PRIMARY KEY,"
    "  source TEXT NOT NULL,"
    "  started_at INTEGER NOT NULL, finished_at INTEGER,"
    "  records INTEGER NOT NULL DEFAULT 0,"
    "  status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running','ok','failed')),"
    "  error TEXT);",
    "CREATE INDEX sync_run_source ON sync_run(source, started_at);",

    /* Statements already counted (xAPI ids), so a replay is not counted twice. */
    "CREATE TABLE sync_seen ("
    "  source TEXT NOT NULL, item_id TEXT NOT NULL,"
    "  PRIMARY KEY (source, item_id)) WITHOUT ROWID;",

    /* CalDAV copy of each follow-up (calendar module). No foreign key on purpose: when a
     * follow-up disappears (a learner erased), the row stays so the push deletes the remote
     * copy. etag mirrors followup.etag; error is the last push failure, NULL when pushed. */
    "CREATE TABLE caldav_state ("
    "  followup_id INTEGER PRIMARY KEY,"
    "  uid TEXT NOT NULL,"
    "  href TEXT, etag TEXT,"
    "  pushed_sequence INTEGER,"
    "  error TEXT,"
    "  tried_at INTEGER);",

    /* The LCM's other meetings, imported from .ics files: busy intervals [start_at, end_at)
     * that count as clashes. A re-import of a source replaces its rows. */
    "CREATE TABLE busy_time ("
    "  id INTEGER PRIMARY KEY,"
    "  source TEXT NOT NULL,"
    "  uid TEXT,"
    "  start_at INTEGER NOT NULL, end_at INTEGER NOT NULL,"
    "  summary TEXT,"
    "  imported_at INTEGER NOT NULL,"
    "  CHECK (end_at > start_at));",
    "CREATE INDEX busy_time_start ON busy_time(start_at);",
    "CREATE INDEX busy_time_source ON busy_time(source);",

    /* Per-source observations between syncs (Moodle: last lastcourseaccess per enrolment). */
    "CREATE TABLE sync_value ("
    "  source TEXT NOT NULL, item_id TEXT NOT NULL, value TEXT,"
    "  PRIMARY KEY (source, item_id)) WITHOUT ROWID;",

    /* Small settings of this database: "demo" = 1 for the demo dataset, etc. */
    "CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;",

    /* Covering indexes for the TUI's triage snapshot (core/store_view.c): each scan reads
     * only the columns it needs, in enrollment order, so the scans merge without lookups. */
    "CREATE INDEX enrollment_triage ON enrollment(id, learner_id, cohort_id, status, progress,"
    "  last_activity_day, start_day);",
    "CREATE INDEX risk_enrollment ON risk(enrollment_id, level, score, raw);",
    "CREATE INDEX milestone_done_celebrate ON milestone_done(day, enrollment_id, celebrated_at)"
    "  WHERE celebrated_at IS NULL;",
    NULL};

/* Version 2: one person, one learner across sources.
 * learner_key: the ways sources name a learner (kind "account": HOMEPAGE|NAME of an LMS account,
 * "email": the lower-cased address, "sha1": the SHA-1 of "mailto:" + that address, "key": a
 * configured CSV key). A source matching an actor looks these up before making a learner.
 * learner_merge: the log of every merge (the merged record's source and id, who, when).
 * merge_request: while a merge moves check-ins to the kept learner, the one update of a
 * check-in the append-only trigger lets through (learner_id and enrollment_id only).
 * milestone_done.failed: a failed attempt of a test (kept, never celebrated). */
static const char *const schema_v2[] = {
    "CREATE TABLE learner_key ("
    "  kind TEXT NOT NULL, value TEXT NOT NULL,"
    "  learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,"
    "  source TEXT NOT NULL,"
    "  PRIMARY KEY (kind, value, learner_id)) WITHOUT ROWID;",
    "CREATE INDEX learner_key_learner ON learner_key(learner_id);",
    "CREATE TABLE learner_merge ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  kept_id INTEGER NOT NULL,"
    "  merged_id INTEGER NOT NULL,"
    "  merged_source TEXT NOT NULL, merged_ext_id TEXT NOT NULL,"
    "  merged_name TEXT NOT NULL DEFAULT '',"
    "  author TEXT);",
    "CREATE TABLE merge_request (learner_id INTEGER PRIMARY KEY);",
    "DROP TRIGGER checkin_no_update;",
    "CREATE TRIGGER checkin_no_update BEFORE UPDATE ON checkin"
    "  WHEN NOT EXISTS (SELECT 1 FROM merge_request WHERE learner_id = OLD.learner_id)"
    "    OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.channel IS NOT OLD.channel"
    "    OR NEW.direction IS NOT OLD.direction OR NEW.outcome IS NOT OLD.outcome"
    "    OR NEW.note IS NOT OLD.note OR NEW.next_step IS NOT OLD.next_step"
    "    OR NEW.author IS NOT OLD.author OR NEW.followup_id IS NOT OLD.followup_id"
    "    OR NEW.message_id IS NOT OLD.message_id"
    "  BEGIN SELECT RAISE(ABORT, 'check-ins are append-only'); END;",
    "ALTER TABLE milestone_done ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;",
    /* an LRS looks up the course of an IRI whichever source recorded it */
    "CREATE INDEX sync_value_item ON sync_value(item_id);", NULL};

/* Version 3: check-ins by SMS and video call. SQLite cannot widen a CHECK in place: the table is
 * rebuilt (new table, rows copied with their ids, old one dropped, the new one renamed), with
 * foreign keys off for the script (store.c's migrate(): the rows that point at check-ins keep
 * pointing at the same ids) and its indexes and append-only triggers made again. Nothing
 * updates or deletes a check-in on the way: the rows are copied, then the old table goes. */
static const char *const schema_v3[] = {
    "CREATE TABLE checkin_v3 ("
    "  id INTEGER PRIMARY KEY,"
    "  learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,"
    "  enrollment_id INTEGER REFERENCES enrollment(id) ON DELETE CASCADE,"
    "  at INTEGER NOT NULL,"
    "  channel TEXT NOT NULL"
    "    CHECK (channel IN ('call','email','chat','meeting','note','sms','video')),"
    "  direction TEXT NOT NULL DEFAULT 'out' CHECK (direction IN ('out','in')),"
    "  outcome TEXT, note TEXT, next_step TEXT, author TEXT,"
    "  followup_id INTEGER, message_id INTEGER);",
    "INSERT INTO checkin_v3 SELECT id, learner_id, enrollment_id, at, channel, direction, outcome,"
    "  note, next_step, author, followup_id, message_id FROM checkin;",
    "DROP TABLE checkin;",
    "ALTER TABLE checkin_v3 RENAME TO checkin;",
    "CREATE INDEX checkin_learner ON checkin(learner_id, at);",
    "CREATE INDEX checkin_enrollment ON checkin(enrollment_id, at);",
    "CREATE TRIGGER checkin_no_update BEFORE UPDATE ON checkin"
    "  WHEN NOT EXISTS (SELECT 1 FROM merge_request WHERE learner_id = OLD.learner_id)"
    "    OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.channel IS NOT OLD.channel"
    "    OR NEW.direction IS NOT OLD.direction OR NEW.outcome IS NOT OLD.outcome"
    "    OR NEW.note IS NOT OLD.note OR NEW.next_step IS NOT OLD.next_step"
    "    OR NEW.author IS NOT OLD.author OR NEW.followup_id IS NOT OLD.followup_id"
    "    OR NEW.message_id IS NOT OLD.message_id"
    "  BEGIN SELECT RAISE(ABORT, 'check-ins are append-only'); END;",
    "CREATE TRIGGER checkin_no_delete BEFORE DELETE ON checkin"
    "  WHEN NOT EXISTS (SELECT 1 FROM erase_request WHERE learner_id = OLD.learner_id)"
    "  BEGIN SELECT RAISE(ABORT, 'check-ins are append-only'); END;",
    NULL};

/* Versions reserved for work in progress, each filled by its own change (one place per
 * version, so parallel branches do not collide): v4 the inbox (issue 19), v5 the holdouts of
 * the sequence rules (issue 21), v6 the learner's rights (issue 21), v7 the group events and
 * v8 the scheduled posts (issue 20), v9 the team of LCMs (issue 18). */
/* Version 4: the inbox (issue 19). inbox_msg: every message read from the IMAP folder, once
 * (dedup: the Message-ID, or "sha1:" and the hash of the raw bytes when it has none), whatever
 * became of it. kind: reply (to a message lcmtui sent), learner (from a known learner's
 * address), trainer (an answer to a forwarded question: question_id), auto (an auto-reply),
 * bounce, other (a sender we do not know: counted, nothing kept but the envelope), refused (too
 * large or unreadable: the UID is kept so it is not read again). status: a question is open
 * until answered (reply_msg_id: the reply queued), closed (no reply needed) or forwarded
 * (forward_msg_id: the message to the trainer); 'none' for what is not a question.
 * inbox_cursor: the folder's UIDVALIDITY and the last UID read. message gains the threading
 * headers of a reply and when a sent message was replied to or bounced. */
static const char *const schema_v4[] = {
    "CREATE TABLE inbox_msg ("
    "  id INTEGER PRIMARY KEY,"
    "  dedup TEXT NOT NULL UNIQUE,"
    "  folder TEXT NOT NULL, uidvalidity INTEGER NOT NULL, uid INTEGER NOT NULL,"
    "  msgid TEXT, in_reply_to TEXT, refs TEXT,"
    "  kind TEXT NOT NULL"
    "    CHECK (kind IN ('reply','learner','trainer','auto','bounce','other','refused')),"
    "  status TEXT NOT NULL DEFAULT 'none'"
    "    CHECK (status IN ('open','answered','closed','forwarded','none')),"
    "  learner_id INTEGER REFERENCES learner(id) ON DELETE CASCADE,"
    "  enrollment_id INTEGER REFERENCES enrollment(id) ON DELETE SET NULL,"
    "  message_id INTEGER REFERENCES message(id) ON DELETE SET NULL,"
    "  question_id INTEGER REFERENCES inbox_msg(id) ON DELETE SET NULL,"
    "  reply_msg_id INTEGER REFERENCES message(id) ON DELETE SET NULL,"
    "  forward_msg_id INTEGER REFERENCES message(id) ON DELETE SET NULL,"
    "  checkin_id INTEGER,"
    "  from_addr TEXT, from_name TEXT, subject TEXT NOT NULL DEFAULT '',"
    "  sent_date INTEGER, received_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    "  body TEXT NOT NULL DEFAULT '', attachments INTEGER NOT NULL DEFAULT 0);",
    "CREATE INDEX inbox_msg_status ON inbox_msg(status, received_at);",
    "CREATE INDEX inbox_msg_learner ON inbox_msg(learner_id, received_at);",
    "CREATE INDEX inbox_msg_question ON inbox_msg(question_id);",
    "CREATE INDEX inbox_msg_forward ON inbox_msg(forward_msg_id);",
    "CREATE TABLE inbox_cursor ("
    "  folder TEXT PRIMARY KEY,"
    "  uidvalidity INTEGER NOT NULL, last_uid INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);",
    "ALTER TABLE message ADD COLUMN in_reply_to TEXT;",
    "ALTER TABLE message ADD COLUMN refs TEXT;",
    "ALTER TABLE message ADD COLUMN replied_at INTEGER;",
    "ALTER TABLE message ADD COLUMN bounced_at INTEGER;",
    "CREATE INDEX message_msgid ON message(msgid);",
    NULL};
/* v5: sequence holdouts (control groups). One row per (rule, enrollment, key) a rule would
 * have messaged and held back on purpose: the day it would have been sent and the template
 * it would have used, so the effect of the message can be measured against no message. */
static const char *const schema_v5[] = {
    "CREATE TABLE sequence_holdout ("
    "  rule TEXT NOT NULL,"
    "  enrollment_id INTEGER NOT NULL REFERENCES enrollment(id) ON DELETE CASCADE,"
    "  key TEXT NOT NULL,"
    "  day TEXT NOT NULL,"
    "  template TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (rule, enrollment_id, key)) WITHOUT ROWID;",
    "CREATE INDEX sequence_holdout_enrollment ON sequence_holdout(enrollment_id, rule);",
    /* drawn: 1 when the episode went through the holdout draw and was messaged (the treated
     * group); 0 before a rule kept a holdout, or for an at-risk learner it spares. */
    "ALTER TABLE sequence_fired ADD COLUMN drawn INTEGER NOT NULL DEFAULT 0;", NULL};
/* Version 6: the learner's rights (issue 21).
 * erase_register: one row per erased learner, with no personal data: when, who (the LCM's
 * name or the OS user), the internal id the learner had, and the rows removed per table (a
 * JSON object {"table": count}).
 * erase_tombstone: the SHA-1 of "SOURCE|EXT_ID" of each LMS identity the erased learner had
 * (not reversible to a name), so a sync that meets it again can say the LMS still lists them.
 * reported_at: when a sync last said so (NULL: not yet). */
static const char *const schema_v6[] = {
    "CREATE TABLE erase_register ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  day TEXT NOT NULL,"
    "  author TEXT,"
    "  erased_id INTEGER NOT NULL,"
    "  counts TEXT NOT NULL DEFAULT '{}');",
    "CREATE TABLE erase_tombstone ("
    "  hash TEXT PRIMARY KEY,"
    "  erase_id INTEGER NOT NULL REFERENCES erase_register(id) ON DELETE CASCADE,"
    "  reported_at INTEGER) WITHOUT ROWID;",
    /* Retention (store_privacy.c): the enrolments ended longer ago than privacy.retention_days
     * lose their activity_day rows, check-in notes and message bodies. What the reports read
     * of the activity is kept per week: which days had a visit (bit 0 Monday), the week's
     * sessions and minutes, the highest progress. */
    "CREATE TABLE activity_week ("
    "  enrollment_id INTEGER NOT NULL REFERENCES enrollment(id) ON DELETE CASCADE,"
    "  monday TEXT NOT NULL,"
    "  days INTEGER NOT NULL DEFAULT 0,"
    "  sessions INTEGER NOT NULL DEFAULT 0,"
    "  minutes INTEGER NOT NULL DEFAULT 0,"
    "  progress REAL,"
    "  PRIMARY KEY (enrollment_id, monday)) WITHOUT ROWID;",
    "ALTER TABLE enrollment ADD COLUMN purged_day TEXT;",
    "CREATE TABLE privacy_purge ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  day TEXT NOT NULL,"
    "  retention_days INTEGER NOT NULL,"
    "  enrollments INTEGER NOT NULL DEFAULT 0,"
    "  activity_rows INTEGER NOT NULL DEFAULT 0,"
    "  notes INTEGER NOT NULL DEFAULT 0,"
    "  bodies INTEGER NOT NULL DEFAULT 0);",
    /* While a purge runs, the check-ins of the enrolments it names may lose their note and
     * next step (set to NULL), nothing else. */
    "CREATE TABLE purge_request (enrollment_id INTEGER PRIMARY KEY);",
    "DROP TRIGGER checkin_no_update;",
    "CREATE TRIGGER checkin_no_update BEFORE UPDATE ON checkin"
    "  WHEN (NOT EXISTS (SELECT 1 FROM merge_request WHERE learner_id = OLD.learner_id)"
    "    OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.channel IS NOT OLD.channel"
    "    OR NEW.direction IS NOT OLD.direction OR NEW.outcome IS NOT OLD.outcome"
    "    OR NEW.note IS NOT OLD.note OR NEW.next_step IS NOT OLD.next_step"
    "    OR NEW.author IS NOT OLD.author OR NEW.followup_id IS NOT OLD.followup_id"
    "    OR NEW.message_id IS NOT OLD.message_id)"
    "  AND (NOT EXISTS (SELECT 1 FROM purge_request WHERE enrollment_id = OLD.enrollment_id)"
    "    OR NEW.id IS NOT OLD.id OR NEW.learner_id IS NOT OLD.learner_id"
    "    OR NEW.enrollment_id IS NOT OLD.enrollment_id OR NEW.at IS NOT OLD.at"
    "    OR NEW.channel IS NOT OLD.channel OR NEW.direction IS NOT OLD.direction"
    "    OR NEW.outcome IS NOT OLD.outcome OR NEW.note IS NOT NULL OR NEW.next_step IS NOT NULL"
    "    OR NEW.author IS NOT OLD.author OR NEW.followup_id IS NOT OLD.followup_id"
    "    OR NEW.message_id IS NOT OLD.message_id)"
    "  BEGIN SELECT RAISE(ABORT, 'check-ins are append-only'); END;",
    NULL};

/* Version 7: group events (issue 20, a Learning Lunch). event: one meeting for one or several
 * cohorts (event_cohort), with its iCalendar UID and SEQUENCE (bumped by a move or a
 * cancellation, so the invitees' calendars take the update) and its own CalDAV push state (as
 * followup's: etag, href, push_state, push_error). reminded_at: when the reminder was queued.
 * event_invitee: one row per learner invited (the enrolment that brought them in): partstat
 * from their iTIP REPLY ('none' until they answer), the last invitation sent (message_id),
 * attended (ticked by the LCM after the event) and the "meeting" check-in it made. */
static const char *const schema_v7[] = {
    "CREATE TABLE event ("
    "  id INTEGER PRIMARY KEY,"
    "  uid TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL,"
    "  place TEXT NOT NULL DEFAULT '',"
    "  start_at INTEGER NOT NULL,"
    "  duration_min INTEGER NOT NULL DEFAULT 60,"
    "  sequence INTEGER NOT NULL DEFAULT 0,"
    "  cancelled INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    "  reminded_at INTEGER,"
    "  etag TEXT, href TEXT, push_state TEXT NOT NULL DEFAULT 'dirty', push_error TEXT);",
    "CREATE INDEX event_start ON event(start_at);",
    "CREATE TABLE event_cohort ("
    "  event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,"
    "  cohort_id INTEGER NOT NULL REFERENCES cohort(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (event_id, cohort_id));",
    "CREATE TABLE event_invitee ("
    "  event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,"
    "  learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,"
    "  enrollment_id INTEGER REFERENCES enrollment(id) ON DELETE SET NULL,"
    "  partstat TEXT NOT NULL DEFAULT 'none'"
    "    CHECK (partstat IN ('none','accepted','declined','tentative')),"
    "  answered_at INTEGER,"
    "  message_id INTEGER REFERENCES message(id) ON DELETE SET NULL,"
    "  attended INTEGER NOT NULL DEFAULT 0,"
    "  checkin_id INTEGER,"
    "  PRIMARY KEY (event_id, learner_id));",
    "CREATE INDEX event_invitee_learner ON event_invitee(learner_id);",
    NULL};

/* Version 8: scheduled posts to the cohorts' channels (issue 20). A post is an outbox message
 * with channel 'post': no learner, a cohort or a programme instead (whose webhook it goes
 * to), its text in body (subject: a title or the text's first line, for the lists), sent at or
 * after not_before. post_file: the content calendar's files already queued, once per path and
 * content hash (a changed file is a new post). */
static const char *const schema_v8[] = {
    "ALTER TABLE message ADD COLUMN channel TEXT NOT NULL DEFAULT 'email'"
    "  CHECK (channel IN ('email','post'));",
    "ALTER TABLE message ADD COLUMN cohort_id INTEGER REFERENCES cohort(id) ON DELETE CASCADE;",
    "ALTER TABLE message ADD COLUMN program_id INTEGER REFERENCES program(id) ON DELETE CASCADE;",
    "ALTER TABLE message ADD COLUMN not_before INTEGER;",
    "CREATE INDEX message_post_cohort ON message(cohort_id);",
    "CREATE INDEX message_post_program ON message(program_id);",
    "CREATE TABLE post_file ("
    "  path TEXT NOT NULL,"
    "  hash TEXT NOT NULL,"
    "  message_id INTEGER REFERENCES message(id) ON DELETE SET NULL,"
    "  queued_at INTEGER NOT NULL,"
    "  PRIMARY KEY (path, hash)) WITHOUT ROWID;",
    NULL};

/* Version 9: a team of LCMs (issue 18).
 * lcm_user: one row per LCM, made on first use from general.lcm_name and lcm_email (the
 * e-mail is the identity; NULL when the LCM gave none, then the name is).
 * cohort_owner and caseload: who follows whom. A learner's LCM is their own caseload row,
 * else the owner of the cohort of their first enrolment that has one; neither: unassigned.
 * contact_claim: one outbound contact per learner per quiet period, whatever the channel and
 * whoever makes it: period is the UTC day number divided by sequences.quiet_days; the UNIQUE
 * key is the claim, taken in the transaction that writes the check-in or the message.
 * contact_override: a contact made on purpose over another LCM's claim.
 * author_id: who wrote the row; owner_id: who has it now (a handover moves it). */
static const char *const schema_v9[] = {
    "CREATE TABLE lcm_user ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL DEFAULT '',"
    "  email TEXT UNIQUE,"
    "  created_at INTEGER NOT NULL);",
    "CREATE TABLE cohort_owner ("
    "  cohort_id INTEGER PRIMARY KEY REFERENCES cohort(id) ON DELETE CASCADE,"
    "  user_id INTEGER NOT NULL REFERENCES lcm_user(id) ON DELETE CASCADE,"
    "  assigned_at INTEGER NOT NULL);",
    "CREATE INDEX cohort_owner_user ON cohort_owner(user_id);",
    "CREATE TABLE caseload ("
    "  learner_id INTEGER PRIMARY KEY REFERENCES learner(id) ON DELETE CASCADE,"
    "  user_id INTEGER NOT NULL REFERENCES lcm_user(id) ON DELETE CASCADE,"
    "  assigned_at INTEGER NOT NULL);",
    "CREATE INDEX caseload_user ON caseload(user_id);",
    "CREATE TABLE contact_claim ("
    "  id INTEGER PRIMARY KEY,"
    "  learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,"
    "  period INTEGER NOT NULL,"
    "  user_id INTEGER REFERENCES lcm_user(id) ON DELETE SET NULL,"
    "  at INTEGER NOT NULL,"
    "  channel TEXT NOT NULL,"
    "  checkin_id INTEGER, message_id INTEGER,"
    "  UNIQUE (learner_id, period));",
    "CREATE TABLE contact_override ("
    "  id INTEGER PRIMARY KEY,"
    "  claim_id INTEGER NOT NULL REFERENCES contact_claim(id) ON DELETE CASCADE,"
    "  learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,"
    "  user_id INTEGER REFERENCES lcm_user(id) ON DELETE SET NULL,"
    "  at INTEGER NOT NULL,"
    "  channel TEXT NOT NULL,"
    "  checkin_id INTEGER, message_id INTEGER);",
    "CREATE INDEX contact_override_learner ON contact_override(learner_id);",
    "ALTER TABLE checkin ADD COLUMN author_id INTEGER REFERENCES lcm_user(id);",
    "ALTER TABLE message ADD COLUMN author_id INTEGER REFERENCES lcm_user(id);",
    "ALTER TABLE message ADD COLUMN owner_id INTEGER REFERENCES lcm_user(id);",
    "ALTER TABLE followup ADD COLUMN author_id INTEGER REFERENCES lcm_user(id);",
    "ALTER TABLE followup ADD COLUMN owner_id INTEGER REFERENCES lcm_user(id);",
    "ALTER TABLE snooze ADD COLUMN author_id INTEGER REFERENCES lcm_user(id);",
    "ALTER TABLE learner_merge ADD COLUMN author_id INTEGER REFERENCES lcm_user(id);",
    /* a check-in's author is as fixed as the rest of it (merges and purges included) */
    "DROP TRIGGER checkin_no_update;",
    "CREATE TRIGGER checkin_no_update BEFORE UPDATE ON checkin"
    "  WHEN (NOT EXISTS (SELECT 1 FROM merge_request WHERE learner_id = OLD.learner_id)"
    "    OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.channel IS NOT OLD.channel"
    "    OR NEW.direction IS NOT OLD.direction OR NEW.outcome IS NOT OLD.outcome"
    "    OR NEW.note IS NOT OLD.note OR NEW.next_step IS NOT OLD.next_step"
    "    OR NEW.author IS NOT OLD.author OR NEW.followup_id IS NOT OLD.followup_id"
    "    OR NEW.message_id IS NOT OLD.message_id OR NEW.author_id IS NOT OLD.author_id)"
    "  AND (NOT EXISTS (SELECT 1 FROM purge_request WHERE enrollment_id = OLD.enrollment_id)"
    "    OR NEW.id IS NOT OLD.id OR NEW.learner_id IS NOT OLD.learner_id"
    "    OR NEW.enrollment_id IS NOT OLD.enrollment_id OR NEW.at IS NOT OLD.at"
    "    OR NEW.channel IS NOT OLD.channel OR NEW.direction IS NOT OLD.direction"
    "    OR NEW.outcome IS NOT OLD.outcome OR NEW.note IS NOT NULL OR NEW.next_step IS NOT NULL"
    "    OR NEW.author IS NOT OLD.author OR NEW.followup_id IS NOT OLD.followup_id"
    "    OR NEW.message_id IS NOT OLD.message_id OR NEW.author_id IS NOT OLD.author_id)"
    "  BEGIN SELECT RAISE(ABORT, 'check-ins are append-only'); END;",
    NULL};

/* Version 10: the learner in the keys of the tables keyed by enrollment (issue 17, "Beyond one
 * server"). activity_day, milestone_done, risk, snooze and sequence_fired gain learner_id, the
 * distribution column of a distributed PostgreSQL (Citus, doc/postgresql.md): filled here from
 * the enrollment, then by every write; changed only by a merge, when an enrolment moves to the
 * kept learner (ON UPDATE CASCADE from enrollment(learner_id, id), in the same statement). The
 * primary keys include it after enrollment_id: every lookup by enrollment alone (the risk scan,
 * the KPIs' ranges, the purge) still reads the key's prefix, and one that names the learner too
 * reads the whole key; Citus asks that the distribution column be in the key, not first. The
 * tables are rebuilt (SQLite cannot change a primary key in place), foreign keys off for the
 * script (store.c's migrate()). Their key's columns come first, in the key's order (on
 * PostgreSQL learner_id is the last column, where ALTER TABLE puts it; the copy goes by name):
 * SQLite 3.40's integrity_check reports a false "NULL value in" a NOT NULL column declared
 * before a key column of a WITHOUT ROWID table. The snooze table keeps its own id as its key (an
 * alias of the rowid, which gives the ids; doc/postgresql.md says what that leaves for Citus). */
static const char *const schema_v10[] = {
    "CREATE UNIQUE INDEX enrollment_learner ON enrollment(learner_id, id);",

    "CREATE TABLE activity_day_v10 ("
    "  enrollment_id INTEGER NOT NULL,"
    "  learner_id INTEGER NOT NULL,"
    "  day TEXT NOT NULL,"
    "  sessions INTEGER NOT NULL DEFAULT 0,"
    "  minutes INTEGER NOT NULL DEFAULT 0,"
    "  actions INTEGER NOT NULL DEFAULT 0,"
    "  progress REAL,"
    "  PRIMARY KEY (enrollment_id, learner_id, day),"
    "  FOREIGN KEY (learner_id, enrollment_id) REFERENCES enrollment(learner_id, id)"
    "    ON DELETE CASCADE ON UPDATE CASCADE) WITHOUT ROWID;",
    "INSERT INTO activity_day_v10 SELECT a.enrollment_id, e.learner_id, a.day, a.sessions,"
    "  a.minutes, a.actions, a.progress FROM activity_day a"
    "  JOIN enrollment e ON e.id = a.enrollment_id ORDER BY a.enrollment_id, a.day;",
    "DROP TABLE activity_day;", "ALTER TABLE activity_day_v10 RENAME TO activity_day;",

    "CREATE TABLE milestone_done_v10 ("
    "  enrollment_id INTEGER NOT NULL,"
    "  learner_id INTEGER NOT NULL,"
    "  milestone_id INTEGER NOT NULL REFERENCES milestone(id) ON DELETE CASCADE,"
    "  day TEXT NOT NULL,"
    "  score REAL,"
    "  celebrated_at INTEGER,"
    "  failed INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (enrollment_id, learner_id, milestone_id),"
    "  FOREIGN KEY (learner_id, enrollment_id) REFERENCES enrollment(learner_id, id)"
    "    ON DELETE CASCADE ON UPDATE CASCADE) WITHOUT ROWID;",
    "INSERT INTO milestone_done_v10 SELECT d.enrollment_id, e.learner_id, d.milestone_id, d.day,"
    "  d.score, d.celebrated_at, d.failed FROM milestone_done d"
    "  JOIN enrollment e ON e.id = d.enrollment_id;",
    "DROP TABLE milestone_done;", "ALTER TABLE milestone_done_v10 RENAME TO milestone_done;",
    "CREATE INDEX milestone_done_milestone ON milestone_done(milestone_id);",
    "CREATE INDEX milestone_done_pending ON milestone_done(day) WHERE celebrated_at IS NULL;",
    "CREATE INDEX milestone_done_celebrate ON milestone_done(day, enrollment_id, celebrated_at)"
    "  WHERE celebrated_at IS NULL;",

    "CREATE TABLE sequence_fired_v10 ("
    "  rule TEXT NOT NULL,"
    "  enrollment_id INTEGER NOT NULL,"
    "  learner_id INTEGER NOT NULL,"
    "  key TEXT NOT NULL,"
    "  day TEXT NOT NULL,"
    "  message_id INTEGER,"
    "  drawn INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (rule, enrollment_id, learner_id, key),"
    "  FOREIGN KEY (learner_id, enrollment_id) REFERENCES enrollment(learner_id, id)"
    "    ON DELETE CASCADE ON UPDATE CASCADE) WITHOUT ROWID;",
    "INSERT INTO sequence_fired_v10 SELECT f.rule, f.enrollment_id, e.learner_id, f.key, f.day,"
    "  f.message_id, f.drawn FROM sequence_fired f JOIN enrollment e ON e.id = f.enrollment_id;",
    "DROP TABLE sequence_fired;", "ALTER TABLE sequence_fired_v10 RENAME TO sequence_fired;",

    /* snooze before risk: its triggers name risk, and go with the old table. risk keeps a
     * rowid (its key an index beside it): its rows carry the reasons and signals (about 1 KB),
     * too large for a WITHOUT ROWID b-tree (measured: 3x the pages, 4x the risk update). */
    "CREATE TABLE snooze_v10 ("
    "  id INTEGER PRIMARY KEY,"
    "  enrollment_id INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  until_day TEXT NOT NULL,"
    "  reason TEXT,"
    "  score_at REAL,"
    "  feedback TEXT,"
    "  active INTEGER NOT NULL DEFAULT 1,"
    "  author_id INTEGER REFERENCES lcm_user(id),"
    "  learner_id INTEGER NOT NULL,"
    "  FOREIGN KEY (learner_id, enrollment_id) REFERENCES enrollment(learner_id, id)"
    "    ON DELETE CASCADE ON UPDATE CASCADE);",
    "INSERT INTO snooze_v10 SELECT z.id, z.enrollment_id, z.created_at, z.until_day, z.reason,"
    "  z.score_at, z.feedback, z.active, z.author_id, e.learner_id FROM snooze z"
    "  JOIN enrollment e ON e.id = z.enrollment_id;",
    "DROP TABLE snooze;", "ALTER TABLE snooze_v10 RENAME TO snooze;",
    "CREATE INDEX snooze_enrollment ON snooze(enrollment_id, active);",

    "CREATE TABLE risk_v10 ("
    "  enrollment_id INTEGER NOT NULL,"
    "  learner_id INTEGER NOT NULL,"
    "  day TEXT NOT NULL,"
    "  score REAL NOT NULL,"
    "  level INTEGER NOT NULL,"
    "  reasons TEXT NOT NULL DEFAULT '',"
    "  signals TEXT,"
    "  flagged_since TEXT,"
    "  snoozed INTEGER NOT NULL DEFAULT 0,"
    "  raw REAL NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (enrollment_id, learner_id),"
    "  FOREIGN KEY (learner_id, enrollment_id) REFERENCES enrollment(learner_id, id)"
    "    ON DELETE CASCADE ON UPDATE CASCADE);",
    "INSERT INTO risk_v10 SELECT r.enrollment_id, e.learner_id, r.day, r.score, r.level,"
    "  r.reasons, r.signals, r.flagged_since, r.snoozed, r.raw FROM risk r"
    "  JOIN enrollment e ON e.id = r.enrollment_id;",
    "DROP TABLE risk;", "ALTER TABLE risk_v10 RENAME TO risk;",
    "CREATE INDEX risk_triage ON risk(snoozed, level DESC, score DESC, raw DESC);",
    "CREATE INDEX risk_enrollment ON risk(enrollment_id, level, score, raw);",

    /* the snooze triggers touch the same learner's rows only (co-located on Citus) */
    "CREATE TRIGGER snooze_hides AFTER INSERT ON snooze WHEN NEW.active = 1"
    "  BEGIN UPDATE risk SET snoozed = 1 WHERE enrollment_id = NEW.enrollment_id"
    "    AND learner_id = NEW.learner_id; END;",
    "CREATE TRIGGER snooze_ends AFTER UPDATE OF active ON snooze"
    "  WHEN OLD.active = 1 AND NEW.active = 0"
    "  BEGIN UPDATE risk SET snoozed = 0 WHERE enrollment_id = NEW.enrollment_id"
    "    AND learner_id = NEW.learner_id"
    "    AND NOT EXISTS (SELECT 1 FROM snooze WHERE enrollment_id = NEW.enrollment_id"
    "      AND learner_id = NEW.learner_id AND active = 1); END;",
    NULL};

/* Version 11: the triage index without snoozed in front (issue 17): the head of the triage
 * list walks the at-risk learners in their order in one statement, those under a snooze
 * left out by its check of the snooze table, instead of one walk for each value of
 * risk.snoozed (a second statement, most of it planning, on a new server connection). The
 * enrollment last: the whole order of the triage query (store_risk_triage). */
static const char *const schema_v11[] = {
    "DROP INDEX risk_triage;",
    "CREATE INDEX risk_triage ON risk(level DESC, score DESC, raw DESC, enrollment_id);", NULL};

/* Version 12: the risk rows' covering index by enrollment names the learner next: the joins of
 * risk with enrollment name both columns (a distributed server joins them on the shard of the
 * learner, doc/postgresql.md), and PostgreSQL's whole-list join (store_view_snapshot) kept
 * its merge join on this index only with the learner in it (without: a hash join over the
 * whole table, 0.3 s more). */
static const char *const schema_v12[] = {
    "DROP INDEX risk_enrollment;",
    "CREATE INDEX risk_enrollment ON risk(enrollment_id, learner_id, level, score, raw);", NULL};

/* Version 13: the learner in the last two tables of a learner's rows without it (issue 17):
 * the holdouts and the weekly activity a retention purge keeps. Each join of them with the
 * enrollment names both columns, as v10 did for the others: the report's comparison with the
 * control group ran on one server only (a distributed one joins on the learner's shard). */
static const char *const schema_v13[] = {
    "CREATE TABLE sequence_holdout_v13 ("
    "  rule TEXT NOT NULL,"
    "  enrollment_id INTEGER NOT NULL,"
    "  learner_id INTEGER NOT NULL,"
    "  key TEXT NOT NULL,"
    "  day TEXT NOT NULL,"
    "  template TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (rule, enrollment_id, learner_id, key),"
    "  FOREIGN KEY (learner_id, enrollment_id) REFERENCES enrollment(learner_id, id)"
    "    ON DELETE CASCADE ON UPDATE CASCADE) WITHOUT ROWID;",
    "INSERT INTO sequence_holdout_v13 SELECT h.rule, h.enrollment_id, e.learner_id, h.key, h.day,"
    "  h.template FROM sequence_holdout h JOIN enrollment e ON e.id = h.enrollment_id;",
    "DROP TABLE sequence_holdout;",
    "ALTER TABLE sequence_holdout_v13 RENAME TO sequence_holdout;",
    "CREATE INDEX sequence_holdout_enrollment ON sequence_holdout(enrollment_id, rule);",
    "CREATE INDEX sequence_holdout_learner ON sequence_holdout(learner_id, rule);",

    "CREATE TABLE activity_week_v13 ("
    "  enrollment_id INTEGER NOT NULL,"
    "  learner_id INTEGER NOT NULL,"
    "  monday TEXT NOT NULL,"
    "  days INTEGER NOT NULL DEFAULT 0,"
    "  sessions INTEGER NOT NULL DEFAULT 0,"
    "  minutes INTEGER NOT NULL DEFAULT 0,"
    "  progress REAL,"
    "  PRIMARY KEY (enrollment_id, learner_id, monday),"
    "  FOREIGN KEY (learner_id, enrollment_id) REFERENCES enrollment(learner_id, id)"
    "    ON DELETE CASCADE ON UPDATE CASCADE) WITHOUT ROWID;",
    "INSERT INTO activity_week_v13 SELECT w.enrollment_id, e.learner_id, w.monday, w.days,"
    "  w.sessions, w.minutes, w.progress FROM activity_week w"
    "  JOIN enrollment e ON e.id = w.enrollment_id;",
    "DROP TABLE activity_week;",
    "ALTER TABLE activity_week_v13 RENAME TO activity_week;",
    "CREATE INDEX activity_week_learner ON activity_week(learner_id, monday);",
    NULL};

const char *const *const store_schema_scripts[] = {
    schema_v1, schema_v2, schema_v3,  schema_v4,  schema_v5,  schema_v6, schema_v7,
    schema_v8, schema_v9, schema_v10, schema_v11, schema_v12, schema_v13};
const int store_schema_version = (int)(sizeof store_schema_scripts / sizeof *store_schema_scripts);
