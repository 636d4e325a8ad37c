/* SPDX-License-Identifier: MIT */
/*
 * The manifest's keys: a table of setters, one per key, each checking its
 * value before storing it (the hardware keys are in manifest_devices.c);
 * the [name] sections with their defaults and closing checks; and the
 * checks over the whole set (binaries, endpoints served once, endpoints
 * called that exist).
 */
#include <string.h>

#include "manifest_impl.h"
#include "sys/units.h"

static const char *const reserved_names[] = {MANIFEST_SUPERVISOR_ENDPOINTS,
					     "state",
					     "bootstrap",
					     "parent",
					     "framebuffer",
					     "ecam",
					     "dma"};
static const char *const supervisor_names[] = {MANIFEST_SUPERVISOR_ENDPOINTS};

#define COUNT(a) (ARRAY_SIZE(a))

static bool in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

static int set_binary(struct mf_parser *ps, struct mf_slice v)
{
	return mf_name(ps, v, ps->cur->binary, "binary");
}

static int set_priority(struct mf_parser *ps, struct mf_slice v)
{
	uint64_t n;
	int err = mf_bounded(ps, v, 0, MANIFEST_MAX_PRIORITY, &n, "priority");
	ps->cur->priority = (uint32_t)n;
	return err;
}

static int set_quota(struct mf_parser *ps, struct mf_slice v)
{
	return mf_bounded(ps, v, 1, UINT32_MAX, &ps->cur->quota_pages, "quota");
}

static int set_heartbeat(struct mf_parser *ps, struct mf_slice v)
{
	uint64_t n;
	int err = mf_bounded(ps, v, 0, MANIFEST_MAX_HEARTBEAT, &n, "heartbeat_ms");
	ps->cur->heartbeat_ms = (uint32_t)n;
	return err;
}

static int set_state_pages(struct mf_parser *ps, struct mf_slice v)
{
	uint64_t n;
	int err = mf_bounded(ps, v, 1, MANIFEST_MAX_STATE, &n, "state_pages");
	ps->cur->state_pages = (uint32_t)n;
	return err;
}

/* Names into list[MANIFEST_MAX_ENDPOINTS]; each once. */
static int set_names(struct mf_parser *ps, struct mf_slice v, char (*list)[MANIFEST_NAME_MAX],
		     uint8_t *count, const char *key)
{
	struct mf_slice item;

	while (mf_next_item(&v, &item)) {
		if (*count == MANIFEST_MAX_ENDPOINTS)
			return mf_error(ps, "%s: too many entries (max %d)", key,
					MANIFEST_MAX_ENDPOINTS);
		char *name = list[*count];
		if (mf_name(ps, item, name, "endpoint name") < 0)
			return -1;
		for (uint8_t i = 0; i < *count; i++)
			if (strcmp(list[i], name) == 0)
				return mf_error(ps, "%s: '%s' listed twice", key, name);
		(*count)++;
	}
	return 0;
}

static int set_serves(struct mf_parser *ps, struct mf_slice v)
{
	struct manifest *m = ps->cur;

	if (set_names(ps, v, m->serves, &m->serves_count, "serves") < 0)
		return -1;
	for (uint8_t i = 0; i < m->serves_count; i++)
		if (in_list(m->serves[i], reserved_names, COUNT(reserved_names)) ||
		    strncmp(m->serves[i], "pci.", 4) == 0 || strncmp(m->serves[i], "irq.", 4) == 0)
			return mf_error(ps, "serves: '%s' is a reserved name", m->serves[i]);
	return 0;
}

static int set_calls(struct mf_parser *ps, struct mf_slice v)
{
	ps->cur->calls_line = ps->line;
	return set_names(ps, v, ps->cur->calls, &ps->cur->calls_count, "calls");
}

struct mf_key {
	const char *name;
	int (*set)(struct mf_parser *ps, struct mf_slice value);
	bool list; /* may be empty */
};

static const struct mf_key keys[] = {
	{"binary", set_binary, false},
	{"priority", set_priority, false},
	{"serves", set_serves, true},
	{"calls", set_calls, true},
	{"quota", set_quota, false},
	{"restart", mf_set_restart, false},
	{"recovery", mf_set_recovery, false},
	{"heartbeat_ms", set_heartbeat, false},
	{"state_pages", set_state_pages, false},
	{"autostart", mf_set_autostart, false},
	{"irq", mf_set_irq, true},
	{"ioport", mf_set_ioport, true},
	{"devmem", mf_set_devmem, true},
	{"dma", mf_set_dma, false},
	{"pci", mf_set_pci, false},
	{"pci_class", mf_set_pci_class, false},
	{"msi", mf_set_msi, false},
	{"msix", mf_set_msix, false},
};
_Static_assert(COUNT(keys) <= 32, "one bit of mf_parser.seen per key");

int mf_assignment(struct mf_parser *ps, struct mf_slice line)
{
	const char *eq = memchr(line.s, '=', line.n);

	if (!eq)
		return mf_error(ps, "expected 'key = value' or '[name]'");
	struct mf_slice key = mf_trim((struct mf_slice){line.s, (size_t)(eq - line.s)});
	struct mf_slice value =
		mf_trim((struct mf_slice){eq + 1, (size_t)(line.s + line.n - eq - 1)});
	for (unsigned i = 0; i < COUNT(keys); i++) {
		if (!mf_eq(key, keys[i].name))
			continue;
		if (!ps->cur)
			return mf_error(ps, "'%s' outside a [name] section", keys[i].name);
		if (ps->seen & (1u << i))
			return mf_error(ps, "duplicate key '%s'", keys[i].name);
		ps->seen |= 1u << i;
		if (value.n == 0 && !keys[i].list)
			return mf_error(ps, "%s: empty value", keys[i].name);
		return keys[i].set(ps, value);
	}
	return mf_error(ps, "unknown key '%.*s'", mf_shown(key), key.s);
}

/* Defaults and the checks that need the whole section. */
int mf_section_end(struct mf_parser *ps)
{
	struct manifest *m = ps->cur;

	if (!m)
		return 0;
	uint32_t line = ps->line;
	ps->line = m->line;
	int err = 0;
	if (m->binary[0] == '\0')
		err = mf_error(ps, "service '%s' has no binary", m->name);
	else if (m->state_pages && m->recovery != MANIFEST_RECOVERY_MEMORY)
		err = mf_error(ps, "service '%s': state_pages needs recovery = memory", m->name);
	if (!err)
		err = mf_check_pci(ps, m);
	if (m->recovery == MANIFEST_RECOVERY_MEMORY && m->state_pages == 0)
		m->state_pages = 1;
	unsigned handles = manifest_handle_count(m);
	if (!err && handles > MANIFEST_MAX_HANDLES)
		err = mf_error(ps, "service '%s' would get %u start handles (max %d)", m->name,
			       handles, MANIFEST_MAX_HANDLES);
	ps->line = line;
	ps->cur = NULL;
	return err;
}

int mf_section(struct mf_parser *ps, struct mf_slice line)
{
	if (line.s[line.n - 1] != ']')
		return mf_error(ps, "expected ']' at the end of the line");
	if (mf_section_end(ps) < 0)
		return -1;
	struct mf_slice name = mf_trim((struct mf_slice){line.s + 1, line.n - 2});
	char buf[MANIFEST_NAME_MAX];
	if (mf_name(ps, name, buf, "service name") < 0)
		return -1;
	for (size_t i = 0; i < ps->count; i++)
		if (strcmp(ps->out[i].name, buf) == 0)
			return mf_error(ps, "duplicate service '%s'", buf);
	if (ps->count == ps->max)
		return mf_error(ps, "too many services (max %zu)", ps->max);
	struct manifest *m = &ps->out[ps->count++];
	*m = (struct manifest){
		.line = ps->line, .priority = 10, .quota_pages = 1024, .autostart = 1};
	memcpy(m->name, buf, sizeof(buf));
	ps->cur = m;
	ps->seen = 0;
	return 0;
}

/* The service serving endpoint `name`, or NULL. */
static const struct manifest *server_of(const struct mf_parser *ps, const char *name, size_t upto)
{
	for (size_t i = 0; i < upto; i++)
		for (uint8_t j = 0; j < ps->out[i].serves_count; j++)
			if (strcmp(ps->out[i].serves[j], name) == 0)
				return &ps->out[i];
	return NULL;
}

static int check_served_once(struct mf_parser *ps, const struct manifest *m, size_t index)
{
	for (uint8_t j = 0; j < m->serves_count; j++) {
		const struct manifest *other = server_of(ps, m->serves[j], index);
		if (other) {
			ps->line = m->line;
			return mf_error(ps, "endpoint '%s' is served by both '%s' and '%s'",
					m->serves[j], other->name, m->name);
		}
	}
	return 0;
}

static int check_calls(struct mf_parser *ps, const struct manifest *m)
{
	for (uint8_t j = 0; j < m->calls_count; j++) {
		const char *e = m->calls[j];
		if (in_list(e, supervisor_names, COUNT(supervisor_names)) ||
		    server_of(ps, e, ps->count))
			continue;
		ps->line = m->calls_line;
		return mf_error(ps, "'%s' calls '%s', which no service serves", m->name, e);
	}
	return 0;
}

int mf_check_set(struct mf_parser *ps)
{
	for (size_t i = 0; i < ps->count; i++)
		if (check_served_once(ps, &ps->out[i], i) < 0 || check_calls(ps, &ps->out[i]) < 0)
			return -1;
	return 0;
}
