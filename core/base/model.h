/* model.h — plain structs for what the store holds. No behaviour, no ownership surprises:
 * string fields in these structs are borrowed (const char *) when passed in, and owned by the
 * struct when a store function fills them (freed with the matching *_clear function). */
#ifndef LCM_MODEL_H
#define LCM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

enum enroll_status { ENROLL_ACTIVE, ENROLL_COMPLETED, ENROLL_WITHDRAWN, ENROLL_FAILED };

/* "active", "completed", "withdrawn", "failed"; returns -1 for anything else. */
int model_enroll_status_parse(const char *s);
const char *model_enroll_status_name(enum enroll_status st);

struct lcm_program {
    const char *source, *ext_id, *name;
    int length_days; /* 0 when unknown */
};

struct lcm_cohort {
    int64_t program_id;
    const char *source, *ext_id, *name;
    int start_day, end_day; /* DAY_NONE when unknown */
};

struct lcm_learner {
    const char *source, *ext_id;
    const char *first_name, *last_name, *email, *phone;
    const char *manager, *manager_email, *department, *lang; /* NULL when unknown */
};

struct lcm_enrollment {
    int64_t learner_id, cohort_id;
    const char *source, *ext_id;
    enum enroll_status status;
    int start_day, expected_end_day, ended_day; /* DAY_NONE when unknown */
    double progress;                            /* 0..1, or < 0 when the source has none */
    int last_activity_day;                      /* DAY_NONE: never */
    const char *outcome;                        /* free text from the source (Pass, Distinction) */
};

enum milestone_kind { MILESTONE_PROGRESS, MILESTONE_TEST, MILESTONE_OTHER };
int model_milestone_kind_parse(const char *s);
const char *model_milestone_kind_name(enum milestone_kind k);

struct lcm_milestone {
    int64_t program_id;
    int64_t cohort_id; /* 0: applies to every cohort of the program */
    const char *source, *ext_id, *name;
    enum milestone_kind kind;
    double threshold; /* progress 0..1 for MILESTONE_PROGRESS, < 0 otherwise */
    int due_day;      /* calendar due day, DAY_NONE when none */
    int due_offset;   /* days after the enrollment's start, -1 when none */
    double weight;    /* share of the course (assessments), 0 when unknown */
};

/* A reached milestone (table milestone_done). */
struct lcm_milestone_done {
    int64_t enrollment_id, milestone_id;
    int day;               /* when it was reached */
    double score;          /* tests: the score, < 0 when none */
    int64_t celebrated_at; /* when the LCM acknowledged it (Unix seconds), 0: to celebrate */
    bool failed;           /* a failed attempt of a test (recorded, never celebrated) */
    int64_t learner_id;    /* the enrollment's learner; 0: the store reads it from the enrollment */
};

struct lcm_activity_day {
    int64_t enrollment_id;
    int day;
    int sessions, minutes, actions;
    double progress;    /* progress at end of day, < 0 when unknown */
    int64_t learner_id; /* the enrollment's learner; 0: the store reads it from the enrollment */
};

enum checkin_channel {
    CH_CALL,
    CH_EMAIL,
    CH_CHAT,
    CH_MEETING,
    CH_NOTE,
    CH_SMS,
    CH_VIDEO,
    CH_COUNT
};
int model_checkin_channel_parse(const char *s);
const char *model_checkin_channel_name(enum checkin_channel c);

/* The outcomes a check-in records (English, as stored; N_-marked: translate with _() where a
 * person reads them), NULL-terminated, and the index of s in that list (-1: not one). */
extern const char *const model_checkin_outcomes[];
int model_checkin_outcome_parse(const char *s);
/* The two directions, as stored: "out" (the LCM reached out), "in" (the learner did). */
extern const char *const model_checkin_directions[];
int model_checkin_direction_parse(const char *s);

struct lcm_checkin {
    int64_t id;
    int64_t learner_id, enrollment_id; /* enrollment_id 0 when not tied to one */
    int64_t at;                        /* Unix seconds UTC */
    enum checkin_channel channel;
    const char *direction; /* "out" or "in" */
    const char *outcome, *note, *next_step, *author;
    int64_t followup_id, message_id; /* 0 when none */
    /* The quiet period in days (sequences.quiet_days): an outbound contact (not a note)
     * claims the learner for it (store_team.h); 0: no claim. override: over another's claim,
     * on purpose (logged). */
    int claim_days;
    bool override;
};

enum followup_status { FU_PLANNED, FU_DONE, FU_CANCELLED };
int model_followup_status_parse(const char *s);
const char *model_followup_status_name(enum followup_status s);

struct lcm_followup {
    int64_t id;
    int64_t learner_id, enrollment_id;
    const char *kind; /* "call" or "reminder" */
    int64_t due_at;   /* Unix seconds UTC */
    int duration_min;
    enum followup_status status;
    const char *title, *note;
    int64_t checkin_id;
};

enum message_status { MSG_DRAFT, MSG_QUEUED, MSG_SENDING, MSG_SENT, MSG_FAILED };
int model_message_status_parse(const char *s);
const char *model_message_status_name(enum message_status s);

struct lcm_message {
    int64_t id;
    int64_t learner_id, enrollment_id;
    const char *template_name, *lang, *rule;
    const char *to_addr, *subject, *body;
    enum message_status status;
    int claim_days; /* as lcm_checkin's: a message to the learner claims them */
    bool override;
    bool claim_strict; /* the LCM's own claim refuses too (the sequences: one nudge per quiet
                          period, whoever made the first contact) */
};

#endif
