/* agenda.h — follow-up lists and scheduling arithmetic, pure (the store_view queries feed it):
 * which bucket a follow-up falls in (overdue, today, this week, later), clashes between a
 * proposed call and the planned ones or the imported busy times, and free slots in a working
 * day. */
#ifndef LCM_AGENDA_H
#define LCM_AGENDA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum agenda_bucket { AGENDA_OVERDUE, AGENDA_TODAY, AGENDA_WEEK, AGENDA_LATER, AGENDA_BUCKETS };

/* "Overdue", "Today", "This week", "Later". */
const char *agenda_bucket_name(enum agenda_bucket b);

/* Overdue: due before now_ts. Today: due later today. This week: within the 7 days after
 * today. Later: after that. */
enum agenda_bucket agenda_bucket_of(int64_t due_at, int today, int64_t now_ts);

/* The end (exclusive, Unix seconds) of the "this week" bucket for today. */
int64_t agenda_week_end(int today);

struct agenda_slot {
    int64_t id;    /* the follow-up's id (0 for a proposal) */
    int64_t start; /* Unix seconds */
    int duration_min;
};

/* Index of the first slot of busy[0..n) that overlaps [start, start + duration_min) and whose
 * id is not skip_id (the follow-up being moved), or -1 when none. Touching ends (one ends at
 * 14:30, the other starts at 14:30) do not clash. */
long agenda_clash(const struct agenda_slot *busy, size_t n, int64_t start, int duration_min,
                  int64_t skip_id);

/* The same test against imported busy times (core/store/store_calendar.h), to the second:
 * index of the first of busy[0..n) that overlaps [start, start + duration_min), or -1 when
 * none (busy NULL or n 0 included). Touching ends do not clash. */
struct cal_busy;
long agenda_busy_clash(const struct cal_busy *busy, size_t n, int64_t start, int duration_min);

/* Free starts on day between from_min and to_min (minutes after midnight; the call must end by
 * to_min), every step_min, that do not clash with busy and are not before not_before. Writes at
 * most max starts into out; returns how many. */
size_t agenda_free_slots(const struct agenda_slot *busy, size_t n, int day, int from_min,
                         int to_min, int duration_min, int step_min, int64_t not_before,
                         int64_t *out, size_t max);

/* Working days: "mon-fri", "mon,tue,thu-sat" (English or French three-letter names, any case;
 * "lun-ven"), as a mask of 1 << day_weekday(); 0 when s is not such a list. */
int agenda_work_days_parse(const char *s);
/* True when day is one of the working days in mask. */
bool agenda_work_day(int mask, int day);
/* "09:00-18:00", "9h-17h30": *from and *to in minutes after midnight (from < to <= 24:00);
 * false when s is not such a range. */
bool agenda_work_hours_parse(const char *s, int *from, int *to);

#endif
