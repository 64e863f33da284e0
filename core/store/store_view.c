/* store_view.c — the triage list, its title counts and the data freshness (read-only). */
#include "store/store_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/fold.h"
#include "base/i18n.h"
#include "base/model.h"
#include "store/store_internal.h"
#include "store/store_team.h"

static const char *const sort_names[VIEW_SORT_COUNT] = {N_("attention"), N_("name"), N_("progress"),
                                                        N_("inactivity"), N_("cohort")};

const char *store_view_sort_name(enum view_sort s)
{
    return (unsigned)s < VIEW_SORT_COUNT ? sort_names[s] : "?";
}

static void bind_day_text(struct db_stmt *s, int i, int day)
{
    store_bind_day(s, i, day);
}

/* The triage order is computed in C from five compact scans (covering indexes where they
 * exist) instead of one SQL ORDER BY that would look up four tables per row: at 100k
 * enrollments this is several times faster and gives the title counts for free. */
struct titem {
    int64_t eid, lid, cid;
    int name_rank, cohort_rank;
    int level; /* -1 not scored */
    double score, progress;
    double raw; /* the score before the clamp at 100: orders the learners tied at 100 */
    int last_day;
    bool celebrate, snoozed, match;
    bool closed;    /* completed, withdrawn or failed: listed after every active one */
    bool completed; /* closed by completing: its last milestones are still to celebrate */
    int64_t owner;  /* the lcm_user following the learner, 0: unassigned */
};

static int cmp_eid(const void *key, const void *item)
{
    int64_t k = *(const int64_t *)key, e = ((const struct titem *)item)->eid;
    return k < e ? -1 : k > e;
}

/* Items are in id order; ids are usually dense, so a direct table maps id -> item. */
struct titems {
    struct titem *it;
    size_t n;
    int32_t *pos; /* pos[eid - first] = index + 1, or NULL: binary search */
    int64_t first, span;
};

static struct titem *find_item(const struct titems *t, int64_t eid)
{
    if (t->pos) {
        if (eid < t->first || eid - t->first >= t->span)
            return NULL;
        int32_t p = t->pos[eid - t->first];
        return p ? &t->it[p - 1] : NULL;
    }
    return t->n ? bsearch(&eid, t->it, t->n, sizeof *t->it, cmp_eid) : NULL;
}

static void index_items(struct titems *t)
{
    t->pos = NULL;
    if (t->n == 0)
        return;
    t->first = t->it[0].eid;
    t->span = t->it[t->n - 1].eid - t->first + 1;
    if (t->span > (int64_t)t->n * 4 + 1024)
        return;
    t->pos = lcm_xcalloc((size_t)t->span, sizeof *t->pos);
    for (size_t i = 0; i < t->n; i++)
        t->pos[t->it[i].eid - t->first] = (int32_t)(i + 1);
}

struct rank {
    int64_t id;
    int rank;
};

static int cmp_rank_id(const void *a, const void *b)
{
    int64_t x = ((const struct rank *)a)->id, y = ((const struct rank *)b)->id;
    return x < y ? -1 : x > y;
}

/* Ranks of ids in the order the query returns them (column 0: id), sorted by id for bsearch;
 * the query in each dialect (store_stmt_each). */
static enum lcm_status load_ranks(struct lcm_store *st, const char *sqlite_sql, const char *pg_sql,
                                  struct rank **out, size_t *n, struct lcm_err *err)
{
    *out = NULL;
    *n = 0;
    struct db_stmt *s = store_stmt_each(st, sqlite_sql, pg_sql, err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    size_t cap = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            *out = lcm_xrealloc(*out, cap * sizeof **out);
        }
        (*out)[*n] = (struct rank){db_column_int64(s, 0), (int)*n};
        (*n)++;
    }
    enum lcm_status rc = r == DB_DONE ? LCM_OK : store_fail(st, err, "triage ranks");
    db_reset(s);
    return rc;
}

/* The learners in the order a list of people is read in: folded last name, then folded first
 * name (base/fold.h: case and accents do not count), then id. Sorted here rather than by an
 * ORDER BY so both engines give the same order whatever their collations (SQLite's NOCASE
 * folds ASCII only; a PostgreSQL server's default collation may be C or a locale's). */
struct named {
    int64_t id;
    char *last, *first;
};

static int cmp_named(const void *a, const void *b)
{
    const struct named *x = a, *y = b;
    int c = strcmp(x->last, y->last);
    if (c == 0)
        c = strcmp(x->first, y->first);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

static char *fold_dup(const char *s)
{
    size_t cap = strlen(s ? s : "") * 2 + 1; /* a folded letter never takes more than 2 bytes */
    char *out = lcm_xmalloc(cap);
    fold_key(s, out, cap);
    return out;
}

static enum lcm_status load_name_ranks(struct lcm_store *st, struct rank **out, size_t *n,
                                       struct lcm_err *err)
{
    *out = NULL;
    *n = 0;
    STMT_OR_FAIL(s, st, "SELECT id, last_name, first_name FROM learner", err);
    struct named *v = NULL;
    size_t cap = 0, k = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (k == cap) {
            cap = cap ? cap * 2 : 1024;
            v = lcm_xrealloc(v, cap * sizeof *v);
        }
        v[k].id = db_column_int64(s, 0);
        v[k].last = fold_dup(store_col_text(s, 1));
        v[k].first = fold_dup(store_col_text(s, 2));
        k++;
    }
    enum lcm_status rc = r == DB_DONE ? LCM_OK : store_fail(st, err, "triage ranks");
    db_reset(s);
    if (rc == LCM_OK && k) {
        qsort(v, k, sizeof *v, cmp_named);
        *out = lcm_xmalloc(k * sizeof **out);
        for (size_t i = 0; i < k; i++)
            (*out)[i] = (struct rank){v[i].id, (int)i};
        *n = k;
    }
    for (size_t i = 0; i < k; i++) {
        free(v[i].last);
        free(v[i].first);
    }
    free(v);
    return rc;
}

/* Ranks by id: a direct table when ids are dense (learner and cohort ids usually are), else
 * the sorted pairs and a binary search. */
struct ranks {
    struct rank *pairs;
    size_t n;
    int *by_id; /* by_id[id] = rank + 1, or NULL */
    int64_t span;
};

static void ranks_index(struct ranks *r)
{
    r->by_id = NULL;
    int64_t max = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->pairs[i].id > max)
            max = r->pairs[i].id;
    if (r->n == 0 || max > (int64_t)r->n * 4 + 1024) {
        if (r->n)
            qsort(r->pairs, r->n, sizeof *r->pairs, cmp_rank_id);
        return;
    }
    r->span = max + 1;
    r->by_id = lcm_xcalloc((size_t)r->span, sizeof *r->by_id);
    for (size_t i = 0; i < r->n; i++)
        if (r->pairs[i].id >= 0)
            r->by_id[r->pairs[i].id] = r->pairs[i].rank + 1;
}

static int ranks_of(const struct ranks *r, int64_t id)
{
    if (r->by_id)
        return id >= 0 && id < r->span && r->by_id[id] ? r->by_id[id] - 1 : (int)r->n;
    struct rank key = {id, 0};
    const struct rank *f =
        r->n ? bsearch(&key, r->pairs, r->n, sizeof *r->pairs, cmp_rank_id) : NULL;
    return f ? f->rank : (int)r->n;
}

static void ranks_free(struct ranks *r)
{
    free(r->pairs);
    free(r->by_id);
}

/* Days as stored ("YYYY-MM-DD"): a few hundred distinct values over 100k rows, so a small
 * direct-mapped memo of parsed strings saves most of the parsing. */
#define DAY_MEMO 1024
struct day_memo {
    char text[DAY_MEMO][10];
    int day[DAY_MEMO];
    bool used[DAY_MEMO];
};

static int memo_day(struct day_memo *m, struct db_stmt *s, int col)
{
    const char *t = db_column_text(s, col);
    if (!t || store_col_bytes(s, col) != 10)
        return store_col_day(s, col);
    /* distinct for the days of any 2 years: (year % 100) * 416 + month * 32 + day */
    unsigned y = (unsigned)(t[2] - '0') * 10u + (unsigned)(t[3] - '0');
    unsigned md = ((unsigned)(t[5] - '0') * 10u + (unsigned)(t[6] - '0')) * 32u +
                  (unsigned)(t[8] - '0') * 10u + (unsigned)(t[9] - '0');
    unsigned h = (y * 416u + md) % DAY_MEMO;
    if (m->used[h] && memcmp(m->text[h], t, 10) == 0)
        return m->day[h];
    int d = store_col_day(s, col);
    memcpy(m->text[h], t, 10);
    m->day[h] = d;
    m->used[h] = true;
    return d;
}

/* The enrollments in id order; on PostgreSQL with their risk (one scan and one transfer
 * instead of two: the server merges the two primary keys), *with_risk then set. SQLite reads
 * the risk in its own scan of a covering index (scan_flags), cheaper there than the join. */
static enum lcm_status scan_enrollments(struct lcm_store *st, struct titem **it, size_t *n,
                                        bool *with_risk, struct lcm_err *err)
{
    struct db_stmt *s = store_stmt_each(
        st,
        "SELECT id, learner_id, cohort_id, progress, last_activity_day, start_day, "
        "status <> 'active', status = 'completed' FROM enrollment ORDER BY id",
        "SELECT e.id, e.learner_id, e.cohort_id, e.progress, e.last_activity_day, e.start_day, "
        "e.status <> 'active', e.status = 'completed', r.level, r.score, r.raw "
        "FROM enrollment e LEFT JOIN risk r ON r.enrollment_id = e.id AND r.learner_id = "
        "e.learner_id "
        "ORDER BY e.id",
        err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    *with_risk = store_is_pg(st);
    size_t cap = 0;
    int r;
    struct day_memo *memo = lcm_xmalloc(sizeof *memo);
    memset(memo->used, 0, sizeof memo->used);
    while ((r = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4096;
            *it = lcm_xrealloc(*it, cap * sizeof **it);
        }
        struct titem *t = &(*it)[(*n)++];
        memset(t, 0, sizeof *t);
        t->eid = db_column_int64(s, 0);
        t->lid = db_column_int64(s, 1);
        t->cid = db_column_int64(s, 2);
        t->progress = db_column_type(s, 3) == DB_NULL ? 0 : db_column_double(s, 3);
        t->last_day = memo_day(memo, s, 4);
        if (t->last_day == DAY_NONE)
            t->last_day = memo_day(memo, s, 5);
        t->level = -1;
        t->match = true;
        t->closed = (int)db_column_int64(s, 6) != 0;
        t->completed = (int)db_column_int64(s, 7) != 0;
        if (*with_risk && db_column_type(s, 8) != DB_NULL) {
            t->level = (int)db_column_int64(s, 8);
            t->score = db_column_double(s, 9);
            t->raw = db_column_double(s, 10);
        }
    }
    free(memo);
    enum lcm_status rc = r == DB_DONE ? LCM_OK : store_fail(st, err, "triage scan");
    db_reset(s);
    return rc;
}

/* Steps the risk rows (enrollment id, level, score, raw, in enrollment order) into the
 * items, which are in the same order: one sequential pass over both. */
static int scan_risk(struct db_stmt *s, const struct titems *ti)
{
    int r;
    size_t j = 0;
    while ((r = db_step(s)) == DB_ROW) {
        int64_t eid = db_column_int64(s, 0);
        while (j < ti->n && ti->it[j].eid < eid)
            j++;
        if (j < ti->n && ti->it[j].eid == eid) {
            struct titem *t = &ti->it[j];
            t->level = (int)db_column_int64(s, 1);
            t->score = db_column_double(s, 2);
            t->raw = db_column_double(s, 3);
        }
    }
    return r;
}

/* Risk (covering index, unless scan_enrollments read it), celebrations and snoozes into the
 * items. */
static enum lcm_status scan_flags(struct lcm_store *st, int today, const struct titems *ti,
                                  bool with_risk, struct lcm_err *err)
{
    int r;
    if (!with_risk) { /* in enrollment order: the covering index risk_enrollment */
        STMT_OR_FAIL(
            s, st, "SELECT enrollment_id, level, score, raw FROM risk ORDER BY enrollment_id", err);
        r = scan_risk(s, ti);
        db_reset(s);
        if (r != DB_DONE)
            return store_fail(st, err, "triage risk");
    }
    STMT_OR_FAIL(c, st,
                 /* No DISTINCT: it would make SQLite scan the whole table in key order
                  * instead of the covering partial index milestone_done_celebrate (20 ms vs
                  * 0.1 ms at 100k). */
                 "SELECT enrollment_id FROM milestone_done "
                 "WHERE celebrated_at IS NULL AND day >= ?1",
                 err);
    bind_day_text(c, 1, today - VIEW_CELEBRATE_DAYS);
    while ((r = db_step(c)) == DB_ROW) {
        struct titem *t = find_item(ti, db_column_int64(c, 0));
        if (t && (!t->closed || t->completed)) /* who completes is congratulated too */
            t->celebrate = true;
    }
    db_reset(c);
    if (r != DB_DONE)
        return store_fail(st, err, "triage celebrations");
    STMT_OR_FAIL(z, st, "SELECT enrollment_id FROM snooze WHERE active = 1 AND until_day > ?1",
                 err);
    bind_day_text(z, 1, today);
    while ((r = db_step(z)) == DB_ROW) {
        struct titem *t = find_item(ti, db_column_int64(z, 0));
        if (t)
            t->snoozed = true;
    }
    db_reset(z);
    return r == DB_DONE ? LCM_OK : store_fail(st, err, "triage snoozes");
}

/* True when the learner's folded "first last", "last first" or e-mail holds the folded
 * search q (base/fold.h: case, accents, hyphens and apostrophes do not count). Each part is
 * folded once; the two orders are joined from the folded parts. */
static bool learner_matches(struct db_stmt *s, const char *q)
{
    char first[256], last[256], both[520];
    size_t nf = fold_key(store_col_text(s, 1), first, sizeof first);
    size_t nl = fold_key(store_col_text(s, 2), last, sizeof last);
    if (strstr(first, q) || strstr(last, q))
        return true;
    if (nf && nl && strchr(q, ' ')) { /* across the two names: in either order */
        memcpy(both, first, nf);
        both[nf] = ' ';
        memcpy(both + nf + 1, last, nl + 1);
        if (strstr(both, q))
            return true;
        memcpy(both, last, nl);
        both[nl] = ' ';
        memcpy(both + nl + 1, first, nf + 1);
        if (strstr(both, q))
            return true;
    }
    char mail[256];
    fold_key(store_col_text(s, 3), mail, sizeof mail);
    return strstr(mail, q) != NULL;
}

/* Marks the items whose learner matches the search: names and e-mail folded in C (one scan
 * of the learners; SQL's LIKE folds ASCII only, so "lefevre" would miss "Lefèvre"). */
static enum lcm_status scan_search(struct lcm_store *st, const char *search, struct titem *it,
                                   size_t n, struct lcm_err *err)
{
    char q[512];
    if (!search || fold_key(search, q, sizeof q) == 0)
        return LCM_OK;
    struct rank *hits = NULL;
    size_t nh = 0, cap = 0;
    struct db_stmt *s = store_stmt(st, "SELECT id, first_name, last_name, email FROM learner", err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (!learner_matches(s, q))
            continue;
        if (nh == cap) {
            cap = cap ? cap * 2 : 256;
            hits = lcm_xrealloc(hits, cap * sizeof *hits);
        }
        hits[nh++] = (struct rank){db_column_int64(s, 0), 0};
    }
    enum lcm_status rc = r == DB_DONE ? LCM_OK : store_fail(st, err, "search");
    db_reset(s);
    if (nh)
        qsort(hits, nh, sizeof *hits, cmp_rank_id);
    for (size_t i = 0; i < n; i++) {
        struct rank key = {it[i].lid, 0};
        it[i].match = nh && bsearch(&key, hits, nh, sizeof *hits, cmp_rank_id) != NULL;
    }
    free(hits);
    return rc;
}

static int bucket(const struct titem *t)
{
    if (t->closed && !t->celebrate)
        return 4;
    if (t->closed) /* completed, to celebrate: with the other celebrations */
        return 1;
    return t->level == 2 ? 0 : t->celebrate ? 1 : t->level == 1 ? 2 : 3;
}

struct skey {
    uint64_t k;
    int64_t eid;
};

/* Sorts keys[0..n) by k, ties in their input order (items come in id order, so ties end up
 * by enrollment id): a stable LSD radix sort, one pass per byte that is not the same in every
 * key. tmp holds n keys. */
static void sort_keys(struct skey *keys, struct skey *tmp, size_t n)
{
    uint64_t all_or = 0, all_and = ~(uint64_t)0;
    for (size_t i = 0; i < n; i++) {
        all_or |= keys[i].k;
        all_and &= keys[i].k;
    }
    struct skey *src = keys, *dst = tmp;
    for (unsigned shift = 0; shift < 64; shift += 8) {
        if ((((all_or ^ all_and) >> shift) & 0xff) == 0)
            continue; /* every key has the same byte here */
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++)
            count[(src[i].k >> shift) & 0xff]++;
        size_t sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i].k >> shift) & 0xff]++] = src[i];
        struct skey *x = src;
        src = dst;
        dst = x;
    }
    if (src != keys)
        memcpy(keys, src, n * sizeof *keys);
}

uint64_t store_view_score_key(double score, double raw)
{
    /* by the unclamped sum, so ties at 100 rank by how much is wrong */
    double r = raw > score ? raw : score;
    uint64_t hundredths = r <= 0 ? 0 : (uint64_t)(r * 100 + 0.5);
    const uint64_t top = (1u << 28) - 1;
    return hundredths > top ? top : hundredths;
}

/* One 64-bit key per sort: the primary criterion in the high bits, the name rank below. */
static uint64_t sort_key(const struct titem *t, enum view_sort sort)
{
    uint64_t name = (uint64_t)(uint32_t)t->name_rank;
    switch (sort) {
    case VIEW_SORT_ATTENTION: {
        const uint64_t top = (1u << 28) - 1; /* higher first */
        uint64_t sc = top - store_view_score_key(t->score, t->raw);
        return (uint64_t)bucket(t) << 60 | sc << 32 | name;
    }
    case VIEW_SORT_PROGRESS:
        return (uint64_t)(t->progress * 1000000 + 0.5) << 32 | name;
    case VIEW_SORT_INACTIVE:
        return (uint64_t)(t->last_day == DAY_NONE ? 0 : (int64_t)t->last_day + 1000000) << 32 |
               name;
    case VIEW_SORT_COHORT:
        return (uint64_t)(uint32_t)t->cohort_rank << 32 | name;
    default:
        return name;
    }
}

/* Inside f's scope: its cohort, and idle for f->idle_days or more when set. */
static bool in_scope(const struct titem *t, const struct view_filter *f)
{
    if (f->cohort_id && t->cid != f->cohort_id)
        return false;
    if (f->mine > 0 && t->owner && t->owner != f->mine)
        return false;
    if (f->idle_days > 0)
        return !t->closed && (t->last_day == DAY_NONE || f->today - t->last_day >= f->idle_days);
    return true;
}

static bool keep(const struct titem *t, const struct view_filter *f)
{
    if (!t->match || (t->snoozed && !f->show_snoozed))
        return false;
    if (!in_scope(t, f))
        return false;
    if (t->closed) /* finished enrolments only show when no level is asked for, or when one
                    * completed with a milestone to celebrate and celebrations are asked for */
        return f->level == VIEW_LEVEL_ANY || (f->level == VIEW_LEVEL_CELEBRATE && t->celebrate);
    if (f->level == VIEW_LEVEL_CELEBRATE)
        return t->celebrate;
    if (f->level >= 0)
        return (t->level < 0 ? 0 : t->level) == f->level;
    return true;
}

bool store_view_at_risk(int level, bool active, bool snoozed)
{
    return active && !snoozed && level == 2;
}

/* The counts of the items in f's scope (f NULL: every item); follow-up counts kept. */
static void count_items(const struct titem *it, size_t n, const struct view_filter *f,
                        struct view_counts *c)
{
    int64_t calls = c->calls_today, overdue = c->overdue;
    memset(c, 0, sizeof *c);
    c->calls_today = calls;
    c->overdue = overdue;
    struct view_filter all = f ? *f : (struct view_filter){0};
    all.mine = 0; /* the team's counts are everyone's in the scope */
    for (size_t i = 0; i < n; i++) {
        if (!it[i].closed && (!f || in_scope(&it[i], &all))) {
            c->unassigned += it[i].owner == 0;
            c->assigned += it[i].owner != 0;
        }
        if (f && !in_scope(&it[i], f))
            continue;
        if (it[i].closed) { /* one who completed may still be to celebrate (as the filter says) */
            c->celebrate += it[i].celebrate && !it[i].snoozed;
            continue;
        }
        c->enrollments++;
        if (it[i].snoozed) {
            c->snoozed++;
            continue;
        }
        c->at_risk += store_view_at_risk(it[i].level, true, false);
        c->watch += it[i].level == 1;
        c->celebrate += it[i].celebrate;
    }
}

struct view_snapshot {
    struct titems ti;
    int today;
};

static void set_owner(void *ctx, int64_t enrollment_id, int64_t user_id)
{
    struct titem *t = find_item(ctx, enrollment_id);
    if (t)
        t->owner = user_id;
}

void store_view_snapshot_free(struct view_snapshot **sp)
{
    if (!sp || !*sp)
        return;
    free((*sp)->ti.it);
    free((*sp)->ti.pos);
    free(*sp);
    *sp = NULL;
}

enum lcm_status store_view_snapshot(struct lcm_store *st, int today, struct view_snapshot **out,
                                    struct lcm_err *err)
{
    struct view_snapshot *s = lcm_xcalloc(1, sizeof *s);
    s->today = today;
    struct ranks lr = {0}, cr = {0};
    bool with_risk = false;
    enum lcm_status rc = scan_enrollments(st, &s->ti.it, &s->ti.n, &with_risk, err);
    index_items(&s->ti);
    if (rc == LCM_OK)
        rc = scan_flags(st, today, &s->ti, with_risk, err);
    if (rc == LCM_OK)
        rc = store_team_owners(st, set_owner, &s->ti, err);
    if (rc == LCM_OK)
        rc = load_name_ranks(st, &lr.pairs, &lr.n, err);
    if (rc == LCM_OK)
        rc = load_ranks(st, "SELECT id FROM cohort ORDER BY start_day, name, id",
                        "SELECT id FROM cohort ORDER BY start_day, name COLLATE \"C\", id",
                        &cr.pairs, &cr.n, err);
    ranks_index(&lr);
    ranks_index(&cr);
    for (size_t i = 0; rc == LCM_OK && i < s->ti.n; i++) {
        s->ti.it[i].name_rank = ranks_of(&lr, s->ti.it[i].lid);
        s->ti.it[i].cohort_rank = ranks_of(&cr, s->ti.it[i].cid);
    }
    ranks_free(&lr);
    ranks_free(&cr);
    if (rc != LCM_OK)
        store_view_snapshot_free(&s);
    *out = s;
    return rc;
}

void store_view_snapshot_counts(const struct view_snapshot *s, struct view_counts *c)
{
    count_items(s->ti.it, s->ti.n, NULL, c);
}

void store_view_snapshot_counts_in(const struct view_snapshot *s, const struct view_filter *f,
                                   struct view_counts *c)
{
    count_items(s->ti.it, s->ti.n, f, c);
}

enum lcm_status store_view_snapshot_order(struct lcm_store *st, struct view_snapshot *s,
                                          const struct view_filter *f, int64_t **ids, size_t *n,
                                          struct lcm_err *err)
{
    *ids = NULL;
    *n = 0;
    struct titems *ti = &s->ti;
    for (size_t i = 0; i < ti->n; i++)
        ti->it[i].match = true;
    enum lcm_status rc = scan_search(st, f->search, ti->it, ti->n, err);
    if (rc != LCM_OK)
        return rc;
    enum view_sort sort = (unsigned)f->sort < VIEW_SORT_COUNT ? f->sort : VIEW_SORT_ATTENTION;
    struct skey *keys = lcm_xmalloc((ti->n ? ti->n : 1) * sizeof *keys);
    size_t m = 0;
    for (size_t i = 0; i < ti->n; i++)
        if (keep(&ti->it[i], f))
            keys[m++] = (struct skey){sort_key(&ti->it[i], sort), ti->it[i].eid};
    struct skey *tmp = lcm_xmalloc((m ? m : 1) * sizeof *tmp);
    sort_keys(keys, tmp, m);
    free(tmp);
    if (m) {
        *ids = lcm_xmalloc(m * sizeof **ids);
        for (size_t i = 0; i < m; i++)
            (*ids)[i] = keys[i].eid;
        *n = m;
    }
    free(keys);
    return LCM_OK;
}

enum lcm_status store_view_order(struct lcm_store *st, const struct view_filter *f, int64_t **ids,
                                 size_t *n, struct view_counts *counts, struct lcm_err *err)
{
    *ids = NULL;
    *n = 0;
    struct view_snapshot *s = NULL;
    enum lcm_status rc = store_view_snapshot(st, f->today, &s, err);
    if (rc != LCM_OK)
        return rc;
    if (counts)
        store_view_snapshot_counts(s, counts);
    rc = store_view_snapshot_order(st, s, f, ids, n, err);
    store_view_snapshot_free(&s);
    return rc;
}

void store_view_tune(struct lcm_store *st)
{
    /* 16 MB of page cache: the scans of the triage order stay in memory between reloads
     * (memory-mapped reads would be faster still but count the whole file in the RSS). A
     * server keeps its own cache: nothing to send it (it would refuse the PRAGMA). */
    if (store_is_pg(st))
        return;
    struct db_stmt *s = store_stmt(st, "PRAGMA cache_size = -16384", NULL);
    if (s)
        store_exec1(st, s, NULL, "tune");
}

double store_view_expected_progress(int start_day, int end_day, int today)
{
    if (start_day == DAY_NONE || end_day == DAY_NONE || end_day <= start_day)
        return -1;
    double x = (double)(today - start_day) / (double)(end_day - start_day);
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

void store_view_row_clear(struct view_row *r)
{
    if (!r)
        return;
    free(r->first_name);
    free(r->last_name);
    free(r->cohort);
    free(r->email);
    free(r->top_reason);
    free(r->celebrate);
    memset(r, 0, sizeof *r);
}

static char *first_line(const char *s)
{
    size_t n = strcspn(s, "\n");
    char *o = lcm_xmalloc(n + 1);
    memcpy(o, s, n);
    o[n] = '\0';
    return o;
}

void store_view_row_fill(struct db_stmt *s, int today, struct view_row *r)
{
    r->enrollment_id = db_column_int64(s, 0);
    r->learner_id = db_column_int64(s, 1);
    r->cohort_id = db_column_int64(s, 2);
    r->first_name = lcm_xstrdup(store_col_text(s, 3));
    r->last_name = lcm_xstrdup(store_col_text(s, 4));
    r->cohort = lcm_xstrdup(store_col_text(s, 5));
    r->email = lcm_xstrdup(store_col_text(s, 6));
    r->progress = db_column_type(s, 7) == DB_NULL ? -1 : db_column_double(s, 7);
    r->expected = store_view_expected_progress(store_col_day(s, 8), store_col_day(s, 9), today);
    r->last_activity_day = store_col_day(s, 10);
    r->level = db_column_type(s, 11) == DB_NULL ? -1 : (int)db_column_int64(s, 11);
    r->score = db_column_double(s, STORE_VIEW_SCORE_COL);
    r->top_reason = first_line(store_col_text(s, 13));
    r->celebrate = db_column_type(s, 14) == DB_NULL ? NULL : lcm_xstrdup(store_col_text(s, 14));
    r->snoozed = (int)db_column_int64(s, STORE_VIEW_SNOOZED_COL) != 0;
    r->next_followup_at = db_column_int64(s, 16);
    int st = model_enroll_status_parse(store_col_text(s, 17));
    r->status = st < 0 ? ENROLL_ACTIVE : st;
}

/* A page of triage rows; IDS selects the ids from the JSON array ?1 (each dialect has its own
 * function for it); the columns are STORE_VIEW_ROW_COLS (store_internal.h). */
#define ROWS_SQL(IDS)                                                                              \
    "SELECT " STORE_VIEW_ROW_COLS("?2",                                                            \
                                  "?3") " FROM enrollment e "                                      \
                                        "JOIN learner l ON l.id = e.learner_id "                   \
                                        "JOIN cohort c ON c.id = e.cohort_id LEFT JOIN risk r ON " \
                                        "r.enrollment_id = e.id AND r.learner_id = e.learner_id "  \
                                        "WHERE e.id IN (" IDS ")"

enum lcm_status store_view_rows(struct lcm_store *st, int today, const int64_t *ids, size_t n,
                                struct view_row *rows, struct lcm_err *err)
{
    if (n > VIEW_PAGE_MAX)
        return lcm_err_set(err, LCM_ERR_INVALID, _("triage page of %zu rows (max %d)"), n,
                           VIEW_PAGE_MAX);
    memset(rows, 0, n * sizeof *rows);
    if (n == 0)
        return LCM_OK;
    struct db_stmt *s = store_stmt_each(st, ROWS_SQL("SELECT value FROM json_each(?1)"),
                                        ROWS_SQL("SELECT CAST(value AS BIGINT) "
                                                 "FROM json_array_elements_text(CAST(?1 AS json)) "
                                                 "AS j(value)"),
                                        err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    /* The ids travel as one JSON array: one statement, whatever the page size. */
    char *json = lcm_xmalloc(n * 21 + 3);
    size_t o = 0;
    json[o++] = '[';
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(json + o, "%s%lld", i ? "," : "", (long long)ids[i]);
    json[o++] = ']';
    json[o] = '\0';
    store_bind_textn(s, 1, json, (int)o);
    free(json);
    bind_day_text(s, 2, today - VIEW_CELEBRATE_DAYS);
    bind_day_text(s, 3, today);
    int r;
    struct view_row tmp;
    while ((r = db_step(s)) == DB_ROW) {
        memset(&tmp, 0, sizeof tmp);
        store_view_row_fill(s, today, &tmp);
        bool placed = false;
        for (size_t i = 0; i < n; i++)
            if (ids[i] == tmp.enrollment_id && rows[i].enrollment_id == 0) {
                rows[i] = tmp;
                placed = true;
                break;
            }
        if (!placed)
            store_view_row_clear(&tmp);
    }
    enum lcm_status rc = r == DB_DONE ? LCM_OK : store_fail(st, err, "triage rows");
    db_reset(s);
    if (rc != LCM_OK)
        for (size_t i = 0; i < n; i++)
            store_view_row_clear(&rows[i]);
    return rc;
}

enum lcm_status store_view_counts(struct lcm_store *st, int today, int64_t day_start,
                                  int64_t now_ts, struct view_counts *out, struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    struct view_filter all = {.level = VIEW_LEVEL_ANY, .show_snoozed = true, .today = today};
    int64_t *ids = NULL;
    size_t n = 0;
    enum lcm_status rc = store_view_order(st, &all, &ids, &n, out, err);
    free(ids);
    if (rc != LCM_OK)
        return rc;
    return store_view_followup_counts(st, day_start, now_ts, out, err);
}

enum lcm_status store_view_followup_counts(struct lcm_store *st, int64_t day_start, int64_t now_ts,
                                           struct view_counts *out, struct lcm_err *err)
{
    return store_view_followup_counts_in(st, 0, day_start, now_ts, out, err);
}

enum lcm_status store_view_followup_counts_in(struct lcm_store *st, int64_t cohort_id,
                                              int64_t day_start, int64_t now_ts,
                                              struct view_counts *out, struct lcm_err *err)
{
    STMT_OR_FAIL(
        s, st,
        "SELECT (SELECT count(*) FROM followup WHERE status = 'planned' AND kind = 'call' "
        " AND due_at >= ?1 AND due_at < ?2 AND (?4 = 0 OR enrollment_id IN "
        "  (SELECT id FROM enrollment WHERE cohort_id = ?4))), "
        "(SELECT count(*) FROM followup WHERE status = 'planned' AND due_at < ?3 "
        " AND (?4 = 0 OR enrollment_id IN (SELECT id FROM enrollment WHERE cohort_id = ?4)))",
        err);
    db_bind_int64(s, 1, day_start);
    db_bind_int64(s, 2, day_start + 86400);
    db_bind_int64(s, 3, now_ts);
    db_bind_int64(s, 4, cohort_id);
    enum lcm_status rc = LCM_OK;
    if (db_step(s) == DB_ROW) {
        out->calls_today = db_column_int64(s, 0);
        out->overdue = db_column_int64(s, 1);
    } else {
        rc = store_fail(st, err, "follow-up counts");
    }
    db_reset(s);
    return rc;
}

enum lcm_status store_view_freshness(struct lcm_store *st, struct view_freshness *out,
                                     struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    char buf[16];
    out->demo = store_kv_get(st, "demo", buf, sizeof buf) && strcmp(buf, "1") == 0;
    STMT_OR_FAIL(s, st,
                 "SELECT (SELECT max(finished_at) FROM sync_run WHERE status = 'ok'), "
                 "EXISTS (SELECT 1 FROM sync_run WHERE status = 'running'), "
                 "(SELECT CASE WHEN count(*) = 1 THEN max(name) END FROM program)",
                 err);
    enum lcm_status rc = LCM_OK;
    if (db_step(s) == DB_ROW) {
        out->last_sync = db_column_int64(s, 0);
        out->syncing = (int)db_column_int64(s, 1) != 0;
        snprintf(out->program, sizeof out->program, "%s", store_col_text(s, 2));
    } else {
        rc = store_fail(st, err, "freshness");
    }
    db_reset(s);
    return rc;
}
