/* SPDX-License-Identifier: MIT */
/*
 * Exec sessions (proto/loader.h): a program started from any ELF memory
 * object with named handles, gathered over several calls because a
 * message carries one capability. A session holds the image and the
 * handles given so far, in a fixed table (LOADER_MAX_SESSIONS, at most
 * LOADER_MAX_CLIENT_SESSIONS per badge, LOADER_EXEC_MAX_HANDLES handles
 * each), and ends in exactly one place, end_session, which closes all of
 * them: when it starts (the child has its own copies by then), when it is
 * cancelled, and when its client is gone. For that the loader arms a
 * client-death notice for each badge with a session open (badge 0 is
 * init's own handle, which never goes) and disarms it with the badge's
 * last session. The requests were checked by the protocol's decode; here
 * come the checks that need the system (the image's type, rights and
 * size) and the session table's.
 */
#include <string.h>

#include "loader.h"
#include "sys/errors.h"

static struct loader_session *find_session(struct loader_env *env, uint64_t badge, uint64_t session)
{
	for (uint32_t i = 0; i < LOADER_MAX_SESSIONS; i++) {
		struct loader_session *s = &env->sessions[i];
		if (s->id != 0 && s->id == session && s->badge == badge)
			return s;
	}
	return NULL;
}

static uint32_t sessions_of(const struct loader_env *env, uint64_t badge)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < LOADER_MAX_SESSIONS; i++)
		n += env->sessions[i].id != 0 && env->sessions[i].badge == badge;
	return n;
}

static struct loader_session *free_session(struct loader_env *env)
{
	for (uint32_t i = 0; i < LOADER_MAX_SESSIONS; i++)
		if (env->sessions[i].id == 0)
			return &env->sessions[i];
	return NULL;
}

/* Arm (0) or cancel the notice for a client with sessions; init's badge 0 needs none. */
static long watch_client(const struct loader_env *env, uint64_t badge, unsigned flags)
{
	if (badge == 0)
		return E_OK;
	long err = env->watch(badge, flags);
	return err == E_NOENT && flags == 0 ? E_CLOSED : err; /* gone while it asked */
}

/* Close everything the session holds and free its slot. */
static void end_session(struct loader_env *env, struct loader_session *s, bool unwatch)
{
	env->close(s->image);
	for (uint32_t i = 0; i < s->handle_count; i++)
		env->close(s->handles[i].handle);
	s->id = 0;
	if (unwatch && sessions_of(env, s->badge) == 0)
		watch_client(env, s->badge, EP_WATCH_CANCEL);
}

/* The image is a memory object we may read, with at least `size` bytes. */
static long check_image(const struct loader_env *env, handle_t image, uint64_t size)
{
	struct handle_info info;
	long err = env->handle_info(image, &info);

	if (err < 0)
		return err;
	if (info.type != KOBJ_MOBJ)
		return E_TYPE;
	if (!(info.rights & R_READ))
		return E_RIGHTS;
	return size > info.size ? E_RANGE : E_OK;
}

static uint32_t next_id(struct loader_env *env)
{
	env->last_session = env->last_session % INT32_MAX + 1; /* 1..INT32_MAX: never 0 */
	return env->last_session;
}

/* A session for the image c names (checked here), or an error (the caller closes the image). */
static long begin(struct loader_env *env, const struct loader_exec_begin_call *c)
{
	struct loader_session *s = free_session(env);
	long err = check_image(env, c->image, c->size);

	if (err == E_OK && (!s || sessions_of(env, c->badge) >= LOADER_MAX_CLIENT_SESSIONS))
		err = E_NOSPACE;
	if (err == E_OK)
		err = watch_client(env, c->badge, 0);
	if (err < 0)
		return err;
	*s = (struct loader_session){.id = next_id(env),
				     .badge = c->badge,
				     .image = c->image,
				     .size = (uint32_t)c->size,
				     .priority = c->priority,
				     .argc = c->argc,
				     .bytes = c->bytes};
	memcpy(s->strings, c->program, c->bytes); /* the program and its arguments, in a row */
	return s->id;
}

/* An image named by path (LOADER_EXEC_F_PATH): a file's new object, or a copy of a module's handle.
 */
static long image_by_path(const struct loader_env *env, const char *name, handle_t *h,
			  uint64_t *size)
{
	struct loader_image image;
	long err = loader_find_image(env, name, &image);

	if (err == E_OK && !image.owned) {
		long dup = env->dup(image.handle, R_READ | R_DUP | R_TRANSFER);
		err = dup < 0 ? dup : E_OK;
		image.handle = (handle_t)dup;
	}
	*h = image.handle;
	*size = image.size;
	return err;
}

long loader_exec_begin_op(void *ctx, const struct loader_exec_begin_call *c)
{
	struct loader_env *env = ctx;
	struct loader_exec_begin_call call = *c;

	if (c->flags & LOADER_EXEC_F_PATH) {
		static char kept[LOADER_MAX_REQUEST]; /* reading the file reuses the IPC buffer */
		memcpy(kept, c->program, c->bytes);
		call.program = kept;
		long err = image_by_path(env, kept, &call.image, &call.size);
		if (err != E_OK)
			return err;
		err = begin(env, &call);
		if (err < 0)
			env->close(call.image); /* ours: the server loop knows nothing of it */
		return err;
	}
	return begin(env, &call);
}

static bool named(const struct loader_session *s, const char *name)
{
	for (uint32_t i = 0; i < s->handle_count; i++)
		if (strcmp(s->handles[i].name, name) == 0)
			return true;
	return false;
}

/* What the child's start_info says of a handle's size: a memory object's bytes. */
static uint32_t size_of(const struct loader_env *env, handle_t h)
{
	struct handle_info info;

	if (env->handle_info(h, &info) < 0 || info.type != KOBJ_MOBJ)
		return 0;
	return info.size > UINT32_MAX ? UINT32_MAX : (uint32_t)info.size;
}

long loader_exec_handle_op(void *ctx, uint64_t badge, uint64_t session, const char *name,
			   handle_t h)
{
	struct loader_env *env = ctx;
	struct loader_session *s = find_session(env, badge, session);

	if (!s)
		return E_NOENT;
	if (named(s, name))
		return E_EXISTS;
	if (s->handle_count == LOADER_EXEC_MAX_HANDLES)
		return E_NOSPACE;
	uint32_t i = s->handle_count++;
	size_t n = strnlen(name, START_NAME_MAX - 1); /* the decode allows no more */
	memcpy(s->names[i], name, n);
	s->names[i][n] = '\0';
	s->handles[i] = (struct spawn_handle){s->names[i], h, R_ALL, size_of(env, h)};
	return E_OK;
}

/* The session's program and arguments (checked at its beginning) as spawn_args. */
static void session_args(struct loader_env *env, const struct loader_session *s, const char **argv,
			 struct spawn_handle *hs, struct spawn_args *a, uint64_t *watch)
{
	const char *p = s->strings + strlen(s->strings) + 1;
	uint32_t n = s->handle_count;

	for (int i = 0; i < s->argc; i++, p += strlen(p) + 1)
		argv[i] = p;
	memcpy(hs, s->handles, n * sizeof(*hs));
	if (env->ns != HANDLE_INVALID && !named(s, "ns"))
		hs[n++] = (struct spawn_handle){"ns", env->ns, LOADER_NS_RIGHTS, 0};
	*watch = 0;
	if (!named(s, LOADER_END_HANDLE))
		n += loader_procs_end_handle(env, &hs[n], watch); /* the last one: closed after */
	*a = (struct spawn_args){loader_base_name(s->strings), s->argc, argv, n, hs, s->priority,
				 SPAWN_PROGRAM_MAX_PRIORITY};
}

long loader_exec_start_op(void *ctx, uint64_t badge, uint64_t session, int *elf_err)
{
	struct loader_env *env = ctx;
	struct loader_session *s = find_session(env, badge, session);
	const char *argv[LOADER_MAX_ARGS];
	struct spawn_handle hs[LOADER_EXEC_MAX_HANDLES + 2];
	struct spawn_args a;
	uint64_t watch;

	if (!s)
		return E_NOENT;
	session_args(env, s, argv, hs, &a, &watch);
	long child = env->spawn(s->image, s->size, &a, elf_err);
	if (watch)
		env->close(hs[a.handle_count - 1].handle); /* the child has its own */
	if (child >= 0)
		loader_procs_add(env, (handle_t)child, badge, watch);
	end_session(env, s, true);
	return child;
}

long loader_exec_cancel_op(void *ctx, uint64_t badge, uint64_t session)
{
	struct loader_env *env = ctx;
	struct loader_session *s = find_session(env, badge, session);

	if (!s)
		return E_NOENT;
	end_session(env, s, true);
	return E_OK;
}

void loader_client_gone_op(void *ctx, uint64_t badge)
{
	struct loader_env *env = ctx;

	loader_procs_gone(env, badge); /* a child that ended, if the badge was its */
	for (uint32_t i = 0; i < LOADER_MAX_SESSIONS; i++) /* its notice came: nothing is armed */
		if (env->sessions[i].id != 0 && env->sessions[i].badge == badge)
			end_session(env, &env->sessions[i], false);
}
