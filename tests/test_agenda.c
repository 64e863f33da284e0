/* test_agenda.c — follow-up buckets, clash detection, free slots (core/agenda.c). */
#include "testutil.h"

#include "cal/agenda.h"
#include "base/day.h"
#include "store/store_busy.h"

static int today;

static int64_t at(int dd, int hh, int mm)
{
    return day_to_time(today + dd) + hh * 3600 + mm * 60;
}

static void test_clash_empty_list(void **state)
{
    (void)state;
    assert_int_equal(agenda_clash(NULL, 0, at(0, 10, 0), 30, 0), -1);
}

static void test_clash_overlap_and_touching(void **state)
{
    (void)state;
    struct agenda_slot busy[] = {{1, at(3, 14, 0), 30}, {2, at(3, 16, 0), 60}};
    assert_int_equal(agenda_clash(busy, 2, at(3, 14, 15), 30, 0), 0);  /* starts inside */
    assert_int_equal(agenda_clash(busy, 2, at(3, 13, 45), 30, 0), 0);  /* ends inside */
    assert_int_equal(agenda_clash(busy, 2, at(3, 13, 0), 240, 0), 0);  /* covers both */
    assert_int_equal(agenda_clash(busy, 2, at(3, 16, 30), 15, 0), 1);  /* inside the second */
    assert_int_equal(agenda_clash(busy, 2, at(3, 14, 30), 30, 0), -1); /* touching ends */
    assert_int_equal(agenda_clash(busy, 2, at(3, 13, 30), 30, 0), -1);
    assert_int_equal(agenda_clash(busy, 2, at(4, 14, 0), 30, 0), -1); /* another day */
    /* moving follow-up 1 itself does not clash with its old slot */
    assert_int_equal(agenda_clash(busy, 2, at(3, 14, 10), 30, 1), -1);
}

static void test_busy_clash_empty_list(void **state)
{
    (void)state;
    assert_int_equal(agenda_busy_clash(NULL, 0, at(0, 10, 0), 30), -1);
    struct cal_busy one[] = {{at(0, 10, 0), at(0, 11, 0), "", "work.ics"}};
    assert_int_equal(agenda_busy_clash(one, 0, at(0, 10, 0), 30), -1); /* n 0: none */
}

static void test_busy_clash_overlap_touching_and_seconds(void **state)
{
    (void)state;
    struct cal_busy busy[] = {{at(3, 14, 0), at(3, 14, 30), "Team", "work.ics"},
                              {at(3, 16, 0), at(3, 17, 0) + 30, "Board", "work.ics"}};
    assert_int_equal(agenda_busy_clash(busy, 2, at(3, 14, 15), 30), 0);  /* starts inside */
    assert_int_equal(agenda_busy_clash(busy, 2, at(3, 13, 45), 30), 0);  /* ends inside */
    assert_int_equal(agenda_busy_clash(busy, 2, at(3, 13, 0), 240), 0);  /* covers both: first */
    assert_int_equal(agenda_busy_clash(busy, 2, at(3, 16, 30), 15), 1);  /* inside the second */
    assert_int_equal(agenda_busy_clash(busy, 2, at(3, 14, 30), 30), -1); /* touching ends */
    assert_int_equal(agenda_busy_clash(busy, 2, at(3, 13, 30), 30), -1);
    assert_int_equal(agenda_busy_clash(busy, 2, at(4, 14, 0), 30), -1); /* another day */
    /* to the second: the board meeting runs 30 s past 17:00, so a 17:00 call clashes */
    assert_int_equal(agenda_busy_clash(busy, 2, at(3, 17, 0), 30), 1);
    assert_int_equal(agenda_busy_clash(busy, 2, at(3, 17, 1), 30), -1);
}

static void test_buckets(void **state)
{
    (void)state;
    int64_t now = at(0, 10, 0);
    assert_int_equal(agenda_bucket_of(at(-2, 9, 0), today, now), AGENDA_OVERDUE);
    assert_int_equal(agenda_bucket_of(at(0, 9, 0), today, now), AGENDA_OVERDUE);
    assert_int_equal(agenda_bucket_of(at(0, 15, 0), today, now), AGENDA_TODAY);
    assert_int_equal(agenda_bucket_of(at(1, 9, 0), today, now), AGENDA_WEEK);
    assert_int_equal(agenda_bucket_of(at(7, 23, 0), today, now), AGENDA_WEEK);
    assert_int_equal(agenda_bucket_of(at(8, 0, 0), today, now), AGENDA_LATER);
    assert_string_equal(agenda_bucket_name(AGENDA_OVERDUE), "Overdue");
}

static void test_free_slots_skip_busy_and_past(void **state)
{
    (void)state;
    struct agenda_slot busy[] = {{1, at(0, 10, 0), 60}};
    int64_t out[32];
    size_t n = agenda_free_slots(busy, 1, today, 9 * 60, 12 * 60, 30, 30, at(0, 9, 15), out, 32);
    /* 09:00 is past; 10:00 and 10:30 are busy; 09:30, 11:00, 11:30 remain */
    assert_int_equal(n, 3);
    assert_int_equal(out[0], at(0, 9, 30));
    assert_int_equal(out[1], at(0, 11, 0));
    assert_int_equal(out[2], at(0, 11, 30));
    assert_int_equal(agenda_free_slots(busy, 1, today, 9 * 60, 12 * 60, 30, 30, 0, out, 1), 1);
    assert_int_equal(agenda_free_slots(NULL, 0, today, 9 * 60, 9 * 60 + 20, 30, 30, 0, out, 8), 0);
}

static void test_work_days_and_hours_parse(void **state)
{
    (void)state;
    assert_int_equal(agenda_work_days_parse(NULL), 0);
    assert_int_equal(agenda_work_days_parse(""), 0);
    assert_int_equal(agenda_work_days_parse("mon-fri"), 0x1f);
    assert_int_equal(agenda_work_days_parse("Mon,Tue, thu-sat"), 0x3b);
    assert_int_equal(agenda_work_days_parse("sat-mon"), 0x61); /* over the week's end */
    assert_int_equal(agenda_work_days_parse("lun-ven"), 0x1f);
    assert_int_equal(agenda_work_days_parse("monday"), 0);
    assert_int_equal(agenda_work_days_parse("mon-"), 0);
    int sat = day_from_ymd(2026, 11, 28), mon = sat + 2;
    assert_false(agenda_work_day(0x1f, sat));
    assert_true(agenda_work_day(0x1f, mon));
    int a = -1, b = -1;
    assert_true(agenda_work_hours_parse("09:00-18:00", &a, &b));
    assert_int_equal(a, 540);
    assert_int_equal(b, 1080);
    assert_true(agenda_work_hours_parse(" 8h30 - 17h ", &a, &b));
    assert_int_equal(a, 510);
    assert_int_equal(b, 1020);
    assert_false(agenda_work_hours_parse(NULL, &a, &b));
    assert_false(agenda_work_hours_parse("18:00-09:00", &a, &b));
    assert_false(agenda_work_hours_parse("09:00", &a, &b));
    assert_false(agenda_work_hours_parse("9:7-10", &a, &b));
    assert_false(agenda_work_hours_parse("25:00-26:00", &a, &b));
}

int main(void)
{
    today = day_from_ymd(2026, 11, 28);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clash_empty_list),
        cmocka_unit_test(test_clash_overlap_and_touching),
        cmocka_unit_test(test_busy_clash_empty_list),
        cmocka_unit_test(test_busy_clash_overlap_touching_and_seconds),
        cmocka_unit_test(test_buckets),
        cmocka_unit_test(test_free_slots_skip_busy_and_past),
        cmocka_unit_test(test_work_days_and_hours_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
