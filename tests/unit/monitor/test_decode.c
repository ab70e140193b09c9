/* Decoding the kernel's records (decode.c, bpf/events.h): the shapes the
 * kernel side writes when it runs out of room (the last strings absent,
 * a string cut and flagged), and the ones user space must refuse (a
 * string longer than its record, a size past the bytes read, an unknown
 * kind) without reading past the record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "monitor/monitor-int.h"

static _Alignas(8) unsigned char rec[16384];
static size_t off;

static void begin(uint16_t kind, uint16_t syscall, size_t fixed)
{
	memset(rec, 0, sizeof(rec));
	struct bw_ev_hdr *h = (struct bw_ev_hdr *)rec;
	h->kind = kind;
	h->syscall = syscall;
	h->pid = 4242;
	off = sizeof(*h) + fixed;
}

static void put(const char *s, uint16_t flags)
{
	struct bw_ev_str sh = {.len = (uint16_t)strlen(s), .flags = flags};
	memcpy(rec + off, &sh, sizeof(sh));
	memcpy(rec + off + sizeof(sh), s, sh.len);
	off += sizeof(sh) + sh.len;
}

static size_t end(void)
{
	((struct bw_ev_hdr *)rec)->size = (uint16_t)off;
	return off;
}

static void test_exec_record(void **state)
{
	begin(BW_EV_EXEC, BW_EV_NO_SYSCALL, sizeof(struct bw_ev_exec));
	put("/bin/cat", 0);
	put("/bin/busybox", 0);
	static const char args[] = "cat\0/etc/shadow";
	struct bw_ev_str sh = {.len = sizeof(args) - 1};
	memcpy(rec + off, &sh, sizeof(sh));
	memcpy(rec + off + sizeof(sh), args, sh.len);
	off += sizeof(sh) + sh.len;
	put("/", 0);
	put("4207cec9279aa8e1c6662b1b9a35d37dd885fadee140a111d4f80da3e57783ba", 0);
	struct bw_mon_event ev;
	memset(&ev, 0, sizeof(ev));
	assert_true(bw_mon_decode(rec, end(), &ev));
	assert_int_equal(ev.nstr, 5);
	assert_int_equal(ev.str[1].len, strlen("/bin/busybox"));
	assert_memory_equal(ev.str[2].p, args, sizeof(args) - 1);
	assert_int_equal(ev.str[4].len, 64);
}

/* The kernel stops appending strings when the record is full: the ones it
 * could not write are missing, not an error. */
static void test_strings_the_kernel_had_no_room_for_are_missing(void **state)
{
	begin(BW_EV_EXEC, BW_EV_NO_SYSCALL, sizeof(struct bw_ev_exec));
	put("/bin/cat", 0);
	put("/bin/busybox", BW_STRF_TRUNCATED);
	struct bw_mon_event ev;
	memset(&ev, 0, sizeof(ev));
	assert_true(bw_mon_decode(rec, end(), &ev));
	assert_int_equal(ev.nstr, 5);
	assert_true(ev.str[1].flags & BW_STRF_TRUNCATED);
	for (int i = 2; i < 5; i++) {
		assert_true(ev.str[i].flags & BW_STRF_MISSING);
		assert_int_equal(ev.str[i].len, 0);
	}
}

static void test_string_longer_than_its_record_is_refused(void **state)
{
	begin(BW_EV_OPEN, 257, sizeof(struct bw_ev_open));
	put("/etc/shadow", 0);
	put("", BW_STRF_MISSING);
	size_t n = end();
	/* the first string claims 4 bytes more than the record holds */
	struct bw_ev_str sh;
	memcpy(&sh, rec + sizeof(struct bw_ev_hdr) + sizeof(struct bw_ev_open), sizeof(sh));
	sh.len = (uint16_t)(n - sizeof(struct bw_ev_hdr) - sizeof(struct bw_ev_open) - sizeof(sh) + 4);
	memcpy(rec + sizeof(struct bw_ev_hdr) + sizeof(struct bw_ev_open), &sh, sizeof(sh));
	struct bw_mon_event ev;
	memset(&ev, 0, sizeof(ev));
	assert_false(bw_mon_decode(rec, n, &ev));
}

static void test_size_past_the_bytes_read_is_refused(void **state)
{
	begin(BW_EV_OPEN, 257, sizeof(struct bw_ev_open));
	put("/etc/shadow", 0);
	size_t n = end();
	struct bw_mon_event ev;
	memset(&ev, 0, sizeof(ev));
	assert_false(bw_mon_decode(rec, n - 1, &ev));
	assert_false(bw_mon_decode(rec, sizeof(struct bw_ev_hdr) - 1, &ev));
	/* a record too short for its kind's fixed part */
	((struct bw_ev_hdr *)rec)->size = sizeof(struct bw_ev_hdr) + 4;
	assert_false(bw_mon_decode(rec, n, &ev));
}

static void test_unknown_kind_and_too_many_arguments_are_refused(void **state)
{
	struct bw_mon_event ev;
	begin(BW_EV__COUNT, BW_EV_NO_SYSCALL, 0);
	memset(&ev, 0, sizeof(ev));
	assert_false(bw_mon_decode(rec, end(), &ev));
	begin(0, BW_EV_NO_SYSCALL, 0);
	assert_false(bw_mon_decode(rec, end(), &ev));
	begin(BW_EV_EXEC_FAIL, 59, sizeof(struct bw_ev_exec_fail));
	((struct bw_ev_exec_fail *)(rec + sizeof(struct bw_ev_hdr)))->argc_read = BW_MON_MAX_STRS;
	put("/nonexistent", 0);
	assert_false(bw_mon_decode(rec, end(), &ev));
}

/* A record of a fixed-size kind followed by bytes it does not use (a
 * newer layout's tail) decodes. */
static void test_tail_of_a_fixed_record_is_ignored(void **state)
{
	begin(BW_EV_FORK, BW_EV_NO_SYSCALL, sizeof(struct bw_ev_fork));
	off += 16;
	struct bw_mon_event ev;
	memset(&ev, 0, sizeof(ev));
	assert_true(bw_mon_decode(rec, end(), &ev));
	assert_int_equal(ev.nstr, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exec_record),
	    cmocka_unit_test(test_strings_the_kernel_had_no_room_for_are_missing),
	    cmocka_unit_test(test_string_longer_than_its_record_is_refused),
	    cmocka_unit_test(test_size_past_the_bytes_read_is_refused),
	    cmocka_unit_test(test_unknown_kind_and_too_many_arguments_are_refused),
	    cmocka_unit_test(test_tail_of_a_fixed_record_is_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
