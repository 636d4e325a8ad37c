/* SPDX-License-Identifier: MIT */
/*
 * The hostile suite: every bad request a client can make of the
 * compositor, sent raw. Each is refused with its error, and the
 * compositor carries on serving (it answers, the boot's windows stay
 * listed): no surface, the wrong kind of object, one too small for the
 * size it claims, a read-only one, sizes out of range, titles without
 * their NUL or too long, too many windows, others' windows, rectangles
 * out of range, short requests, unknown methods, bad input, a ring whose
 * tail lies, and a flood of commits.
 */
#include <string.h>

#include "dsktest.h"
#include "sys/sys.h"

/* DISPLAY_CREATE by hand: cap (or none), size, and `bytes` of title. */
static long raw_create(handle_t cap, uint64_t w, uint64_t h, const char *title, uint32_t bytes,
		       uint64_t *id)
{
	struct ipc_msg m = {.tag = IPC_TAG(DISPLAY_CREATE, 6, cap != HANDLE_INVALID, bytes),
			    .w = {w, h, 300, 300, 99, 0},
			    .cap = cap};

	memcpy(ipc_buffer()->data, title, bytes);
	long err = ipc_call(dt_display(), &m, 2000 * 1000000ull);
	if (err < 0)
		return err;
	long status = (int16_t)IPC_TAG_LABEL(m.tag);
	if (status == E_OK) {
		*id = m.w[0];
		sys_handle_close((handle_t)m.cap);
	}
	return status;
}

static long raw_call(uint32_t label, uint32_t words, uint64_t a, uint64_t b)
{
	struct ipc_msg m = {.tag = IPC_TAG(label, words, 0, 0), .w = {a, b}};
	long err = ipc_call(dt_display(), &m, 2000 * 1000000ull);

	return err < 0 ? err : (int16_t)IPC_TAG_LABEL(m.tag);
}

static uint64_t other_window(void)
{
	struct display_window_info info;
	char title[DISPLAY_TITLE_MAX];

	for (uint64_t n = 0; display_list(dt_display(), n, &info, title) == E_OK; n++)
		if (!strncmp(title, "clock", 5))
			return info.id;
	return 0;
}

TEST(hostile, bad_surfaces, "no surface, a notification, too small, read-only: refused")
{
	uint64_t id = 0;
	long small = sys_mobj_create(4096, 0), ntfn = sys_ntfn_create();

	T_ASSERT(small >= 0 && ntfn >= 0);
	T_RETURN_IF_FAILED();
	T_EQ(raw_create(HANDLE_INVALID, 16, 16, "x", 2, &id), E_INVAL);
	T_EQ(raw_create((handle_t)ntfn, 16, 16, "x", 2, &id), E_TYPE);
	T_EQ(raw_create((handle_t)small, 100, 100, "x", 2, &id), E_RANGE); /* needs 44 pages */
	long big = sys_mobj_create(display_surface_bytes(16, 16) + 4096, 0);
	long ro = big < 0 ? big : sys_handle_dup((handle_t)big, R_READ | R_TRANSFER);
	T_ASSERT(ro >= 0);
	T_RETURN_IF_FAILED();
	T_EQ(raw_create((handle_t)ro, 16, 16, "x", 2, &id), E_RIGHTS);
	sys_handle_close((handle_t)small), sys_handle_close((handle_t)ntfn);
	sys_handle_close((handle_t)ro), sys_handle_close((handle_t)big);
}

TEST(hostile, bad_sizes_titles, "sizes out of range and bad titles: refused")
{
	uint64_t id = 0;
	long m = sys_mobj_create(display_surface_bytes(64, 64), 0);
	char longer[DISPLAY_TITLE_MAX + 8];

	T_ASSERT(m >= 0);
	T_RETURN_IF_FAILED();
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = 0;
	T_EQ(raw_create((handle_t)m, 0, 16, "x", 2, &id), E_INVAL);
	T_EQ(raw_create((handle_t)m, 16, DISPLAY_MAX_SIDE + 1, "x", 2, &id), E_INVAL);
	T_EQ(raw_create((handle_t)m, 1ull << 40, 1ull << 40, "x", 2, &id), E_INVAL);
	T_EQ(raw_create((handle_t)m, 16, 16, "abc", 3, &id), E_INVAL); /* no NUL */
	T_EQ(raw_create((handle_t)m, 16, 16, "", 0, &id), E_INVAL);    /* no title */
	T_EQ(raw_create((handle_t)m, 16, 16, longer, sizeof(longer), &id), E_INVAL);
	sys_handle_close((handle_t)m);
}

TEST(hostile, too_many, "a client's fifth window is refused; its four work and go")
{
	uint64_t ids[DISPLAY_MAX_PER_CLIENT + 1];
	long m = sys_mobj_create(display_surface_bytes(16, 16), 0);

	T_ASSERT(m >= 0);
	T_RETURN_IF_FAILED();
	for (int i = 0; i < DISPLAY_MAX_PER_CLIENT; i++)
		T_OK(raw_create((handle_t)m, 16, 16, "many", 5, &ids[i]));
	T_EQ(raw_create((handle_t)m, 16, 16, "many", 5, &ids[DISPLAY_MAX_PER_CLIENT]), E_NOSPACE);
	for (int i = 0; i < DISPLAY_MAX_PER_CLIENT; i++)
		T_OK(display_destroy(dt_display(), ids[i]));
	T_EQ(display_destroy(dt_display(), ids[0]), E_NOENT); /* once only */
	sys_handle_close((handle_t)m);
}

TEST(hostile, others_and_ranges, "others' windows, rectangles out of range, short and unknown")
{
	uint64_t clock = other_window();
	struct display_commit_request rq = {clock, 0, 0, 8, 8, 0};

	T_ASSERT(clock != 0);
	T_EQ(display_commit(dt_display(), &rq), E_NOENT);
	T_EQ(display_destroy(dt_display(), clock), E_NOENT);
	T_EQ(display_ping(dt_display(), clock), E_NOENT);
	T_EQ(display_ping(dt_display(), 0), E_NOENT);
	struct gui_window w;
	T_OK(gui_open(&w, "dt-ranges", 32, 32, 300, 500));
	T_RETURN_IF_FAILED();
	rq = (struct display_commit_request){w.id, (uint64_t)-5, 0, 8, 8, 0};
	T_EQ(display_commit(w.ep, &rq), E_RANGE);
	rq = (struct display_commit_request){w.id, 0, 0, 1ull << 40, 8, 0};
	T_EQ(display_commit(w.ep, &rq), E_RANGE);
	rq = (struct display_commit_request){w.id, 30, 30, 100, 100, 0}; /* clipped to the window */
	T_OK(display_commit(w.ep, &rq));
	rq = (struct display_commit_request){w.id, 0, 0, 8, 8, 0}; /* its window, another badge */
	T_EQ(display_commit(dt_display(), &rq), E_NOENT);
	T_EQ(raw_call(DISPLAY_COMMIT, 2, w.id, 0), E_PROTO);
	T_EQ(raw_call(DISPLAY_PROTOCOL_BASE + 0x7F, 0, 0, 0), E_NOSYS);
	T_EQ(display_inject(dt_display(), 77, 0, 0, 0), E_INVAL);
	T_EQ(display_inject(dt_display(), DISPLAY_INJECT_KEY, 0x110000, 1, 0), E_INVAL);
	gui_close(&w);
}

TEST(hostile, lying_ring_and_flood, "a ring whose tail lies and a flood of commits cost nothing")
{
	struct gui_window w;
	struct display_info info;

	T_OK(gui_open(&w, "dt-flood", 200, 150, 300, 400));
	T_RETURN_IF_FAILED();
	T_OK(display_raise(dt_display(), w.id));
	w.shared->tail = w.shared->head + 5000; /* lies: the compositor must drop, not trust */
	for (int i = 0; i < 300; i++)
		T_OK(display_inject(dt_display(), DISPLAY_INJECT_KEY, 'k', (uint64_t)(i & 1), 0));
	T_ASSERT(w.shared->dropped >= 300);
	for (int i = 0; i < 500; i++) {
		gui_fill(&w.canvas, (struct gui_rect){0, 0, 200, 150}, (uint32_t)i * 0x010203u);
		T_OK(gui_commit_all(&w));
	}
	T_OK(display_info(dt_display(), &info));
	T_ASSERT(other_window() != 0); /* the boot's windows are still there */
	gui_close(&w);
}
