/* SPDX-License-Identifier: MIT */
/*
 * The crash suite: a client that faults with a window open loses it (the
 * compositor's client-death notice for its badge), within a second, and
 * every other window stays.
 */
#include <string.h>

#include "dsktest.h"
#include "proto/loader.h"
#include "sys/spawn.h"
#include "sys/start.h"
#include "sys/sys.h"
#include "sys/units.h"

/* The id of the window called title, 0 if none. */
static uint64_t find(const char *title)
{
	struct display_window_info info;
	char t[DISPLAY_TITLE_MAX];

	for (uint64_t n = 0; display_list(dt_display(), n, &info, t) == E_OK; n++)
		if (!strcmp(t, title))
			return info.id;
	return 0;
}

static uint64_t count(void)
{
	struct display_window_info info;
	char t[DISPLAY_TITLE_MAX];
	uint64_t n = 0;

	while (display_list(dt_display(), n, &info, t) == E_OK)
		n++;
	return n;
}

TEST(crash, client_dies, "a client that faults loses its window, and only its window")
{
	const char *argv[] = {"dsktest", "child"};
	uint64_t id = 0, before = count();
	int64_t code = 0;

	long p = loader_spawn(start_handle("parent", NULL), "dsktest", 2, argv,
			      SPAWN_DEFAULT_PRIORITY, HANDLE_INVALID, NULL);
	T_ASSERT(p >= 0);
	T_RETURN_IF_FAILED();
	for (int i = 0; i < 200 && !(id = find("doomed")); i++)
		sys_sleep(5 * MS);
	T_ASSERT(id != 0);
	T_EQ(count(), before + 1);
	long err = sys_process_wait((handle_t)p, 5000 * MS, &code);
	T_ASSERT(err != E_OK || code != 0); /* it faulted */
	uint64_t died = sys_clock();
	struct display_window_info info;
	while (dt_listed(id, &info) && sys_clock() - died < 1000 * MS)
		sys_sleep(5 * MS);
	T_ASSERT(!dt_listed(id, &info));
	T_EQ(count(), before);
	T_ASSERT(find("clock \xE6\x99\x82\xE8\xA8\x88") != 0); /* 時計 */
	sys_handle_close((handle_t)p);
}
