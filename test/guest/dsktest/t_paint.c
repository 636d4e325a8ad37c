/* SPDX-License-Identifier: MIT */
/*
 * The paint suite: the paint app (apps/paint) started through the loader,
 * a stroke injected over its window (press, moves, release), and a line
 * `dsktest: paint stroke at X Y` saying where its content is, held still
 * for a while; the QEMU test (test_dsktest.py) pauses the machine there
 * and checks the red stroke and the white paper around it in a screendump. Then paint is
 * killed and its window must go.
 */
#include <string.h>

#include "dsktest.h"
#include "proto/loader.h"
#include "sys/spawn.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/units.h"

static bool find_paint(struct display_window_info *info)
{
	char title[DISPLAY_TITLE_MAX];

	for (uint64_t n = 0; display_list(dt_display(), n, info, title) == E_OK; n++)
		if (!strcmp(title, "paint"))
			return true;
	return false;
}

static void point(int32_t x, int32_t y, uint32_t buttons)
{
	display_inject(dt_display(), DISPLAY_INJECT_POINTER, (uint64_t)x, (uint64_t)y, buttons);
	sys_sleep(20 * MS); /* paint draws each move before the next */
}

/*
 * Keep the picture while the host pauses the machine and takes its
 * screendump. Spinning, not sleeping: under -icount,sleep=off an idle
 * guest's clock jumps to its next timer at once, while a busy one's
 * follows the instructions it executes, seconds of wall time here.
 */
static void hold_still(uint64_t ns)
{
	for (uint64_t end = sys_clock() + ns; sys_clock() < end;)
		;
}

TEST(paint, stroke, "paint draws where the pointer moves with the button held")
{
	const char *argv[] = {"paint"};
	struct display_window_info info;
	bool found = false;

	long p = loader_spawn(start_handle("parent", NULL), "paint", 1, argv,
			      SPAWN_DEFAULT_PRIORITY, HANDLE_INVALID, NULL);
	T_ASSERT(p >= 0);
	T_RETURN_IF_FAILED();
	for (int i = 0; i < 200 && !(found = find_paint(&info)); i++)
		sys_sleep(10 * MS);
	T_ASSERT(found);
	T_RETURN_IF_FAILED();
	sys_sleep(200 * MS); /* its first frame: white paper */
	T_OK(display_raise(dt_display(), info.id));
	int32_t cx = (int32_t)info.x, cy = (int32_t)info.y + DT_TITLE_H;
	point(cx + 10, cy + 10, DISPLAY_BUTTON_LEFT);
	point(cx + 60, cy + 10, DISPLAY_BUTTON_LEFT);
	point(cx + 60, cy + 60, DISPLAY_BUTTON_LEFT);
	point(cx + 60, cy + 60, 0);
	point(10, 700, 0); /* the cursor out of the way */
	sys_sleep(200 * MS);
	printf("dsktest: paint stroke at %d %d\n", cx, cy);
	hold_still(3000 * MS);
	sys_process_kill((handle_t)p);
	sys_process_wait((handle_t)p, 2000 * MS, NULL);
	sys_sleep(300 * MS);
	T_ASSERT(!find_paint(&info));
	sys_handle_close((handle_t)p);
}
