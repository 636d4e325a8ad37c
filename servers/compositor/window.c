/* SPDX-License-Identifier: MIT */
/*
 * The window table: windows made from clients' surfaces, the stack they
 * are drawn in (a minimised window leaves it and keeps its table entry),
 * focus, the event rings, and the records that keep each window's id,
 * place, order and minimised state in the "state" object across a restart
 * of the compositor (matched again by the client's badge and key).
 *
 * Every request is hostile: the surface must be a memory object at least
 * as large as the size asked for (the system side checks and maps it);
 * windows are bounded per client and in all, and so are their pixels. A
 * commit copies the named rectangle out of the surface into the window's
 * image, which only the compositor writes, so what a client draws later
 * (or scribbles half-way) is never shown until it commits again.
 */
#include <string.h>

#include "comp.h"
#include "sys/errors.h"

#define PLACE_STEP 32

uint32_t comp_z(const struct comp *c, const struct window *w)
{
	for (uint32_t i = 0; i < c->count; i++)
		if (c->stack[i] == w)
			return i;
	return c->count;
}

struct window *comp_find(struct comp *c, uint64_t id)
{
	for (uint32_t i = 0; i < COMP_MAX_WINDOWS; i++)
		if (c->win[i].used && c->win[i].id == id)
			return &c->win[i];
	return NULL;
}

struct window *comp_window_at(struct comp *c, int32_t x, int32_t y)
{
	for (uint32_t i = c->count; i-- > 0;)
		if (gui_rect_contains(comp_frame(c->stack[i]), x, y))
			return c->stack[i];
	return NULL;
}

static uint32_t windows_of(const struct comp *c, uint64_t badge)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < COMP_MAX_WINDOWS; i++)
		n += c->win[i].used && c->win[i].badge == badge;
	return n;
}

/* The record of (badge, key) from the last instance, or a free one; NULL if none is free. */
static struct comp_record *record_for(struct comp *c, uint64_t badge, uint64_t key, bool *old)
{
	struct comp_record *free_rec = NULL;

	for (uint32_t i = 0; i < COMP_MAX_WINDOWS; i++) {
		struct comp_record *r = &c->state->rec[i];
		if (r->used == 2 && r->badge == badge && r->key == key) {
			*old = true;
			return r;
		}
		if (!r->used && !free_rec)
			free_rec = r;
	}
	*old = false;
	return free_rec;
}

/* Put w into the stack by its rank (restored windows go back between the others). */
static void stack_insert(struct comp *c, struct window *w)
{
	uint32_t i = c->count;

	while (i > 0 && c->stack[i - 1]->rec->rank > w->rec->rank) {
		c->stack[i] = c->stack[i - 1];
		i--;
	}
	c->stack[i] = w;
	c->count++;
}

static void stack_remove(struct comp *c, struct window *w)
{
	uint32_t z = comp_z(c, w);

	for (uint32_t i = z; i + 1 < c->count; i++)
		c->stack[i] = c->stack[i + 1];
	if (z < c->count)
		c->count--;
}

static long check_create(struct comp *c, uint64_t badge, const struct display_create_request *rq)
{
	uint64_t pixels = rq->width * rq->height; /* both <= DISPLAY_MAX_SIDE: checked */

	if (windows_of(c, badge) >= DISPLAY_MAX_PER_CLIENT || c->count >= COMP_MAX_WINDOWS ||
	    c->pixels_in_use + pixels > COMP_MAX_PIXELS)
		return E_NOSPACE;
	return E_OK;
}

static struct window *free_window(struct comp *c)
{
	for (uint32_t i = 0; i < COMP_MAX_WINDOWS; i++)
		if (!c->win[i].used)
			return &c->win[i];
	return NULL;
}

/* A free mapping slot (bit in c->slots), or COMP_SLOTS when none is. */
uint32_t comp_slot_take(struct comp *c)
{
	for (uint32_t i = 0; i < COMP_SLOTS; i++) {
		if (!(c->slots & 1ull << i)) {
			c->slots |= 1ull << i;
			return i;
		}
	}
	return COMP_SLOTS;
}

void comp_slot_free(struct comp *c, uint32_t slot)
{
	c->slots &= ~(1ull << slot);
}

/* Map a surface of width x height and an image of that size at slot; undone on failure. */
long comp_map_pair(struct comp *c, uint32_t slot, handle_t surface, int32_t width, int32_t height,
		   void **sva, void **iva)
{
	uint64_t bytes = display_surface_bytes((uint32_t)width, (uint32_t)height);
	uint64_t image = (uint64_t)width * (uint64_t)height * 4;
	long err = c->sys->map_surface(c->sys_ctx, surface, slot, bytes, sva);

	if (err < 0)
		return err;
	*iva = NULL;
	err = c->sys->map_image(c->sys_ctx, slot, image, iva);
	if (err < 0)
		c->sys->unmap(c->sys_ctx, slot, bytes, *iva ? image : 0);
	return err;
}

void comp_unmap_window(struct comp *c, const struct window *w)
{
	c->sys->unmap(c->sys_ctx, w->slot, display_surface_bytes((uint32_t)w->w, (uint32_t)w->h),
		      (uint64_t)w->w * w->h * 4);
	comp_slot_free(c, w->slot);
}

void comp_use_surface(struct window *w, handle_t surface, void *sva, void *iva)
{
	w->surface = surface;
	w->shared = sva;
	w->pixels = (const uint32_t *)((const char *)sva + DISPLAY_HEADER_BYTES);
	w->image = iva;
}

/* Map the surface and the image, and make the notification; undone on failure. */
static long attach(struct comp *c, struct window *w, handle_t surface, handle_t *give)
{
	void *sva = NULL, *iva = NULL;
	long err = w->slot < COMP_SLOTS ? comp_map_pair(c, w->slot, surface, w->w, w->h, &sva, &iva)
					: E_NOSPACE;

	if (err == E_OK) {
		err = c->sys->new_ntfn(c->sys_ctx, &w->ntfn, give);
		if (err < 0)
			comp_unmap_window(c, w);
	}
	if (err < 0) {
		if (w->slot < COMP_SLOTS)
			comp_slot_free(c, w->slot);
		return err;
	}
	comp_use_surface(w, surface, sva, iva);
	w->head = 0;
	__atomic_store_n(&w->shared->head, 0, __ATOMIC_RELEASE);
	gui_set_pixels(w->image, COLOUR_TITLE, w->w * w->h); /* until the first commit */
	return E_OK;
}

static void place(struct comp *c, struct window *w, const struct display_create_request *rq,
		  bool restored)
{
	if (restored) {
		w->x = w->rec->x;
		w->y = w->rec->y;
	} else if ((uint32_t)rq->x == DISPLAY_PLACE_AUTO) {
		w->x = 48 + (int32_t)(c->count % 8) * PLACE_STEP;
		w->y = TOPBAR_H + 24 + (int32_t)(c->count % 8) * PLACE_STEP;
	} else {
		w->x = (int32_t)rq->x;
		w->y = (int32_t)rq->y;
	}
}

static void record(struct comp *c, struct window *w, bool restored)
{
	if (!restored) {
		w->rec->rank = ++c->state->next_rank;
		w->rec->id = w->id;
	}
	w->rec->badge = w->badge;
	w->rec->key = w->key;
	w->rec->used = 1;
	comp_move(c, w, w->x, w->y); /* clamps, records the place, damages */
}

long comp_create(struct comp *c, uint64_t badge, handle_t surface,
		 const struct display_create_request *rq, const char *title,
		 struct display_create_reply *rp, handle_t *give)
{
	struct window *w = free_window(c);
	bool restored = false;
	long err = check_create(c, badge, rq);
	struct comp_record *rec = err == E_OK ? record_for(c, badge, rq->key, &restored) : NULL;

	if (err == E_OK && (!w || !rec))
		err = E_NOSPACE;
	if (err == E_OK && windows_of(c, badge) == 0)
		err = c->sys->watch(c->sys_ctx, badge, true);
	if (err < 0) {
		c->sys->close(c->sys_ctx, surface);
		return err;
	}
	*w = (struct window){.badge = badge,
			     .key = rq->key,
			     .pid = rq->pid,
			     .w = (int32_t)rq->width,
			     .h = (int32_t)rq->height,
			     .slot = comp_slot_take(c),
			     .rec = rec};
	comp_copy_title(w->title, title);
	err = attach(c, w, surface, give);
	if (err < 0) {
		if (windows_of(c, badge) == 0)
			c->sys->watch(c->sys_ctx, badge, false);
		c->sys->close(c->sys_ctx, surface);
		return err;
	}
	w->used = true;
	w->id = restored ? rec->id : c->state->next_id++;
	w->minimised = restored && rec->minimised;
	c->pixels_in_use += (uint64_t)w->w * w->h;
	place(c, w, rq, restored);
	record(c, w, restored);
	if (!w->minimised) {
		stack_insert(c, w);
		comp_focus(c, restored && rec->rank != c->state->focus_rank ? c->focus : w);
		comp_damage(c, comp_frame(w));
	}
	comp_damage(c, comp_taskbar_rect(c));
	if (restored)
		c->sys->restored(c->sys_ctx, w, c->sys->clock(c->sys_ctx) - c->started);
	*rp = (struct display_create_reply){w->id, (uint64_t)(int64_t)w->x,
					    (uint64_t)(int64_t)w->y};
	return E_OK;
}

void comp_destroy(struct comp *c, struct window *w, bool tell_owner)
{
	if (tell_owner)
		comp_send(c, w, DISPLAY_EV_CLOSE, 0, 0, 0);
	if (!w->minimised)
		comp_damage(c, comp_frame(w));
	comp_damage(c, comp_taskbar_rect(c));
	stack_remove(c, w);
	if (c->focus == w)
		comp_focus(c, c->count ? c->stack[c->count - 1] : NULL);
	if (c->drag == w)
		c->drag = NULL;
	if (c->sizing == w)
		comp_stop_sizing(c);
	comp_unmap_window(c, w);
	c->sys->close(c->sys_ctx, w->surface);
	c->sys->close(c->sys_ctx, w->ntfn);
	c->pixels_in_use -= (uint64_t)w->w * w->h;
	memset(w->rec, 0, sizeof(*w->rec));
	w->used = false;
	if (windows_of(c, w->badge) == 0)
		c->sys->watch(c->sys_ctx, w->badge, false);
}

void comp_client_gone(struct comp *c, uint64_t badge)
{
	for (uint32_t i = 0; i < COMP_MAX_WINDOWS; i++)
		if (c->win[i].used && c->win[i].badge == badge)
			comp_destroy(c, &c->win[i], false);
}

long comp_commit(struct comp *c, struct window *w, struct gui_rect r)
{
	r = gui_rect_intersect(r, (struct gui_rect){0, 0, w->w, w->h});
	if (gui_rect_empty(r))
		return E_OK;
	const uint32_t *src = w->pixels + (int64_t)r.y * w->w + r.x;
	uint32_t *dst = w->image + (int64_t)r.y * w->w + r.x;
	for (int32_t y = 0; y < r.h; y++, src += w->w, dst += w->w)
		gui_copy_pixels(dst, src, r.w);
	if (!w->minimised)
		comp_damage_visible(c, w,
				    (struct gui_rect){w->x + r.x, w->y + TITLE_H + r.y, r.w, r.h});
	return E_OK;
}

/* Keep the title bar reachable: below the top bar, at least 32 pixels of it on screen. */
void comp_move(struct comp *c, struct window *w, int32_t x, int32_t y)
{
	int32_t min_x = 32 - w->w, max_x = c->width - 32, max_y = c->height - TITLE_H;

	struct gui_rect old = comp_frame(w);

	x = x < min_x ? min_x : x > max_x ? max_x : x;
	y = y < TOPBAR_H ? TOPBAR_H : y > max_y ? max_y : y;
	w->x = x;
	w->y = y;
	w->rec->x = x;
	w->rec->y = y;
	if (w->used &&
	    !w->minimised) { /* the new place first: cheap to compose where w covers all */
		comp_damage(c, comp_frame(w));
		comp_damage(c, old);
	}
}

void comp_raise(struct comp *c, struct window *w)
{
	if (w->minimised) {
		comp_restore(c, w);
		return;
	}
	if (comp_z(c, w) + 1 != c->count) {
		stack_remove(c, w);
		w->rec->rank = ++c->state->next_rank;
		stack_insert(c, w);
		comp_damage(c, comp_frame(w));
	}
	comp_focus(c, w);
}

void comp_focus(struct comp *c, struct window *w)
{
	if (c->focus == w)
		return;
	if (c->focus) {
		comp_send(c, c->focus, DISPLAY_EV_FOCUS, 0, 0, 0);
		comp_damage(c, (struct gui_rect){c->focus->x, c->focus->y, c->focus->w, TITLE_H});
	}
	c->focus = w;
	c->state->focus_rank = w ? w->rec->rank : 0;
	comp_damage(c, comp_taskbar_rect(c));
	if (w) {
		comp_send(c, w, DISPLAY_EV_FOCUS, 1, 0, 0);
		comp_damage(c, (struct gui_rect){w->x, w->y, w->w, TITLE_H});
	}
}

void comp_minimise(struct comp *c, struct window *w)
{
	if (w->minimised)
		return;
	comp_damage(c, comp_frame(w));
	stack_remove(c, w);
	w->minimised = true;
	w->rec->minimised = 1;
	if (c->drag == w)
		c->drag = NULL;
	if (c->sizing == w)
		comp_stop_sizing(c);
	if (c->focus == w)
		comp_focus(c, c->count ? c->stack[c->count - 1] : NULL);
	comp_damage(c, comp_taskbar_rect(c));
}

void comp_restore(struct comp *c, struct window *w)
{
	if (w->minimised) {
		w->minimised = false;
		w->rec->minimised = 0;
		w->rec->rank = ++c->state->next_rank;
		stack_insert(c, w);
		comp_damage(c, comp_frame(w));
		comp_damage(c, comp_taskbar_rect(c));
	}
	comp_focus(c, w);
}

/* Queue an event in w's ring (dropped when the client has not read the ring) and signal. */
void comp_send(struct comp *c, struct window *w, uint32_t type, int32_t x, int32_t y, uint32_t data)
{
	struct display_shared *s = w->shared;
	uint32_t tail = __atomic_load_n(&s->tail, __ATOMIC_ACQUIRE);

	if (w->head - tail >= DISPLAY_EVENTS) { /* full, or a tail that lies: drop */
		s->dropped++;
		return;
	}
	s->ev[w->head % DISPLAY_EVENTS] = (struct display_event){type, x, y, data};
	__atomic_store_n(&s->head, ++w->head, __ATOMIC_RELEASE);
	c->sys->signal(c->sys_ctx, w->ntfn);
}

/* The records a new instance finds: each waits for its client for COMP_PENDING_NS. */
void comp_state_open(struct comp *c)
{
	struct comp_state *s = c->state;

	if (s->magic != COMP_STATE_MAGIC) {
		memset(s, 0, sizeof(*s));
		s->magic = COMP_STATE_MAGIC;
		s->next_id = 1;
		return;
	}
	for (uint32_t i = 0; i < COMP_MAX_WINDOWS; i++)
		if (s->rec[i].used)
			s->rec[i].used = 2;
}

/* Forget records whose clients did not come back in time. */
void comp_state_expire(struct comp *c)
{
	if (c->sys->clock(c->sys_ctx) - c->started < COMP_PENDING_NS)
		return;
	for (uint32_t i = 0; i < COMP_MAX_WINDOWS; i++)
		if (c->state->rec[i].used == 2)
			memset(&c->state->rec[i], 0, sizeof(c->state->rec[i]));
}
