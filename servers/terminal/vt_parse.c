/* SPDX-License-Identifier: MIT */
/*
 * The VT engine's byte parser (vt.h): a state machine in the manner of the
 * DEC/xterm parsers (ground, escape, CSI, control strings) fed one byte at
 * a time, so a sequence or a UTF-8 character split across two writes is
 * put together. C0 controls act in every state but a string's; CAN and SUB
 * abandon a sequence; a malformed UTF-8 byte prints U+FFFD. Parameters are
 * capped at VT_PARAM_MAX and VT_MAX_PARAMS; the grid functions clamp the
 * rest, so no byte sequence reaches outside the grid.
 */
#include "vt.h"

#define REPLACEMENT 0xFFFDu

/* Parameter i, or def when it is missing or 0. */
static int param(const struct vt *vt, int i, int def)
{
	if (i >= vt->nparams || vt->params[i] == 0)
		return def;
	return (int)vt->params[i];
}

static void reply(struct vt *vt, const char *s)
{
	while (*s && vt->reply_len < VT_REPLY_MAX)
		vt->reply[vt->reply_len++] = *s++;
}

static char *put_number(char *p, int v)
{
	char digits[8];
	int n = 0;
	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0 && n < 8);
	while (n > 0)
		*p++ = digits[--n];
	return p;
}

static void report_cursor(struct vt *vt)
{
	char s[24] = "\x1b[", *p = s + 2;
	p = put_number(p, vt->cur.y + 1);
	*p++ = ';';
	p = put_number(p, vt->cur.x + 1);
	*p++ = 'R';
	*p = 0;
	reply(vt, s);
}

/* 38;5;N or 38;2;R;G;B at params[i]: the palette index, and how many parameters it took. */
static int extended_colour(const struct vt *vt, int i, uint8_t *colour)
{
	if (i + 1 >= vt->nparams)
		return 0;
	if (vt->params[i + 1] == 5 && i + 2 < vt->nparams) {
		*colour = (uint8_t)(vt->params[i + 2] > 255 ? 255 : vt->params[i + 2]);
		return 2;
	}
	if (vt->params[i + 1] == 2 && i + 4 < vt->nparams) {
		uint32_t c[3];
		for (int k = 0; k < 3; k++)
			c[k] = (vt->params[i + 2 + k] > 255 ? 255 : vt->params[i + 2 + k]) * 5 /
			       255;
		*colour = (uint8_t)(16 + 36 * c[0] + 6 * c[1] + c[2]);
		return 4;
	}
	return 0;
}

static void set_fg(struct vt_cell *pen, uint8_t colour)
{
	pen->fg = colour;
	pen->attr &= (uint8_t)~VT_FG_DEFAULT;
}

static void set_bg(struct vt_cell *pen, uint8_t colour)
{
	pen->bg = colour;
	pen->attr &= (uint8_t)~VT_BG_DEFAULT;
}

static int sgr_one(struct vt *vt, int i)
{
	struct vt_cell *pen = &vt->cur.pen;
	uint32_t p = i < vt->nparams ? vt->params[i] : 0;
	uint8_t colour = 0;
	int used = 0;

	if (p == 0)
		*pen = (struct vt_cell){' ', VT_COLOUR_FG, VT_COLOUR_BG,
					VT_FG_DEFAULT | VT_BG_DEFAULT, 0};
	else if (p == 1)
		pen->attr |= VT_BOLD;
	else if (p == 4)
		pen->attr |= VT_UNDERLINE;
	else if (p == 7)
		pen->attr |= VT_REVERSE;
	else if (p == 22)
		pen->attr &= (uint8_t)~VT_BOLD;
	else if (p == 24)
		pen->attr &= (uint8_t)~VT_UNDERLINE;
	else if (p == 27)
		pen->attr &= (uint8_t)~VT_REVERSE;
	else if (p >= 30 && p <= 37)
		set_fg(pen, (uint8_t)(p - 30));
	else if (p >= 90 && p <= 97)
		set_fg(pen, (uint8_t)(p - 90 + 8));
	else if (p >= 40 && p <= 47)
		set_bg(pen, (uint8_t)(p - 40));
	else if (p >= 100 && p <= 107)
		set_bg(pen, (uint8_t)(p - 100 + 8));
	else if (p == 39)
		pen->fg = VT_COLOUR_FG, pen->attr |= VT_FG_DEFAULT;
	else if (p == 49)
		pen->bg = VT_COLOUR_BG, pen->attr |= VT_BG_DEFAULT;
	else if ((p == 38 || p == 48) && (used = extended_colour(vt, i, &colour)) > 0)
		(p == 38 ? set_fg : set_bg)(pen, colour);
	return used + 1;
}

static void sgr(struct vt *vt)
{
	int i = 0;
	do
		i += sgr_one(vt, i);
	while (i < vt->nparams);
}

static void set_mode(struct vt *vt, bool on)
{
	for (int i = 0; i < vt->nparams; i++) {
		if (vt->prefix != '?')
			continue; /* ANSI modes (insert, ...) are not kept */
		switch (vt->params[i]) {
		case 7:
			vt->autowrap = on;
			break;
		case 25:
			vt->cursor_visible = on;
			break;
		case 47:
			vt_alt_screen(vt, on, false, false);
			break;
		case 1047:
			vt_alt_screen(vt, on, false, !on);
			break;
		case 1049:
			vt_alt_screen(vt, on, true, true);
			break;
		default:
			break;
		}
	}
	vt->changes++;
}

static void tab_clear(struct vt *vt)
{
	int mode = param(vt, 0, 0);
	for (int x = 0; x < vt->cols; x++)
		if (mode == 3 || (mode == 0 && x == vt->cur.x))
			vt->tabs[x] = 0;
}

/* Cursor movement finals: relative moves and absolute positions. */
static bool csi_move(struct vt *vt, char final)
{
	int x = vt->cur.x, y = vt->cur.y, n = param(vt, 0, 1);

	switch (final) {
	case 'A':
		y = y >= vt->top ? (y - n < vt->top ? vt->top : y - n) : y - n;
		break;
	case 'B':
		y = y <= vt->bottom ? (y + n > vt->bottom ? vt->bottom : y + n) : y + n;
		break;
	case 'C':
	case 'a':
		x += n;
		break;
	case 'D':
		x -= n;
		break;
	case 'E':
		x = 0, y += n;
		break;
	case 'F':
		x = 0, y -= n;
		break;
	case 'G':
	case '`':
		x = n - 1;
		break;
	case 'd':
		y = n - 1;
		break;
	case 'H':
	case 'f':
		y = n - 1, x = param(vt, 1, 1) - 1;
		break;
	default:
		return false;
	}
	vt_move_to(vt, x, y);
	return true;
}

static void csi_dispatch(struct vt *vt, char final)
{
	if (vt->inter != 0 || (vt->prefix != 0 && vt->prefix != '?'))
		return; /* DECSCUSR, DA2, ...: not kept */
	if (vt->prefix == '?' && final != 'h' && final != 'l')
		return;
	if (csi_move(vt, final))
		return;
	int n = param(vt, 0, 1);
	switch (final) {
	case 'J':
		vt_erase_display(vt, param(vt, 0, 0));
		break;
	case 'K':
		vt_erase_line(vt, param(vt, 0, 0));
		break;
	case 'L':
		vt_insert_lines(vt, n);
		break;
	case 'M':
		vt_delete_lines(vt, n);
		break;
	case '@':
		vt_insert_chars(vt, n);
		break;
	case 'P':
		vt_delete_chars(vt, n);
		break;
	case 'X':
		vt_erase_chars(vt, n);
		break;
	case 'S':
		vt_scroll_up(vt, n);
		break;
	case 'T':
		vt_scroll_down(vt, n);
		break;
	case 'I':
		vt_tab(vt, n);
		break;
	case 'Z':
		vt_tab(vt, -n);
		break;
	case 'g':
		tab_clear(vt);
		break;
	case 'r':
		vt_set_region(vt, param(vt, 0, 1) - 1, param(vt, 1, vt->rows) - 1);
		break;
	case 's':
		vt_save_cursor(vt);
		break;
	case 'u':
		vt_restore_cursor(vt);
		break;
	case 'm':
		sgr(vt);
		break;
	case 'h':
		set_mode(vt, true);
		break;
	case 'l':
		set_mode(vt, false);
		break;
	case 'n':
		if (param(vt, 0, 0) == 6)
			report_cursor(vt);
		break;
	case 'c':
		reply(vt, "\x1b[?1;2c");
		break;
	default:
		break;
	}
}

static void esc_dispatch(struct vt *vt, uint8_t b)
{
	vt->state = VT_GROUND;
	switch (b) {
	case '[':
		vt->state = VT_CSI;
		vt->nparams = 0;
		vt->prefix = vt->inter = 0;
		vt->params[0] = 0;
		break;
	case ']':
	case 'P':
	case 'X':
	case '^':
	case '_':
		vt->state = VT_STRING;
		break;
	case '(':
	case ')':
	case '*':
	case '+':
	case '-':
	case '.':
	case '/':
	case '#':
	case '%':
	case ' ':
		vt->state = VT_ESC_SKIP;
		break;
	case '7':
		vt_save_cursor(vt);
		break;
	case '8':
		vt_restore_cursor(vt);
		break;
	case 'D':
		vt_linefeed(vt);
		break;
	case 'E':
		vt_linefeed(vt), vt->cur.x = 0;
		break;
	case 'M':
		vt_reverse_index(vt);
		break;
	case 'H':
		vt->tabs[vt->cur.x] = 1;
		break;
	case 'c':
		vt_reset(vt);
		break;
	default:
		break;
	}
}

/* A C0 control: true if b was one (it acted, or was ignored). */
static bool control(struct vt *vt, uint8_t b)
{
	if (b >= 0x20 && b != 0x7F)
		return false;
	switch (b) {
	case 0x08:
		vt_move_to(vt, vt->cur.x - 1, vt->cur.y);
		break;
	case 0x09:
		vt_tab(vt, 1);
		break;
	case 0x0A:
	case 0x0B:
	case 0x0C:
		vt_linefeed(vt);
		break;
	case 0x0D:
		vt->cur.x = 0, vt->cur.pending_wrap = false, vt->changes++;
		break;
	case 0x18:
	case 0x1A:
		vt->state = VT_GROUND;
		break;
	case 0x1B:
		vt->state = VT_ESC;
		break;
	default:
		break; /* BEL, NUL, DEL and the rest */
	}
	return true;
}

static void csi_byte(struct vt *vt, uint8_t b)
{
	if (b >= '0' && b <= '9') {
		uint32_t *p = &vt->params[vt->nparams == 0 ? 0 : vt->nparams - 1];
		if (vt->nparams == 0)
			vt->nparams = 1;
		*p = *p * 10 + (b - '0');
		if (*p > VT_PARAM_MAX)
			*p = VT_PARAM_MAX;
	} else if (b == ';' || b == ':') {
		if (vt->nparams == 0)
			vt->nparams = 1;
		if (vt->nparams < VT_MAX_PARAMS)
			vt->params[vt->nparams++] = 0;
	} else if (b >= '<' && b <= '?') {
		if (vt->nparams == 0 && vt->prefix == 0)
			vt->prefix = (char)b;
	} else if (b >= 0x20 && b <= 0x2F) {
		vt->inter = (char)b;
	} else if (b >= 0x40 && b <= 0x7E) {
		vt->state = VT_GROUND;
		csi_dispatch(vt, (char)b);
	}
}

/* A byte of a string (OSC, DCS, ...): dropped up to BEL or ESC \. */
static void string_byte(struct vt *vt, uint8_t b)
{
	if (b == 0x07 || b == 0x18 || b == 0x1A)
		vt->state = VT_GROUND;
	else if (vt->state == VT_STRING_ESC)
		vt->state = b == '\\' ? VT_GROUND : VT_STRING;
	else if (b == 0x1B)
		vt->state = VT_STRING_ESC;
}

/* A byte at or above 0x80 in the ground state: part of a UTF-8 character. */
static void utf8_byte(struct vt *vt, uint8_t b)
{
	static const uint32_t min[4] = {0, 0x80, 0x800, 0x10000};

	if ((b & 0xC0) == 0x80 && vt->utf8_left > 0) {
		vt->utf8_cp = vt->utf8_cp << 6 | (b & 0x3F);
		if (--vt->utf8_left == 0) {
			uint32_t cp = vt->utf8_cp;
			bool bad = cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
				   cp < min[vt->utf8_len]; /* overlong */
			vt_print(vt, bad ? REPLACEMENT : cp);
		}
		return;
	}
	int len = (b & 0xE0) == 0xC0 ? 1 : (b & 0xF0) == 0xE0 ? 2 : (b & 0xF8) == 0xF0 ? 3 : 0;
	if (len == 0 || b == 0xC0 || b == 0xC1) {
		vt_print(vt, REPLACEMENT);
		return;
	}
	vt->utf8_cp = b & (0x3F >> len);
	vt->utf8_left = vt->utf8_len = len;
}

static void feed(struct vt *vt, uint8_t b)
{
	if (vt->utf8_left > 0 && (b & 0xC0) != 0x80) {
		vt->utf8_left = 0; /* a character cut short */
		vt_print(vt, REPLACEMENT);
	}
	if (vt->state == VT_STRING || vt->state == VT_STRING_ESC) {
		string_byte(vt, b);
		return;
	}
	if (vt->utf8_left == 0 && control(vt, b))
		return;
	switch (vt->state) {
	case VT_ESC:
		esc_dispatch(vt, b);
		break;
	case VT_ESC_SKIP:
		vt->state = VT_GROUND;
		break;
	case VT_CSI:
		csi_byte(vt, b);
		break;
	default:
		if (b < 0x80 && vt->utf8_left == 0)
			vt_print(vt, b);
		else
			utf8_byte(vt, b);
		break;
	}
}

void vt_write(struct vt *vt, const void *bytes, size_t n)
{
	const uint8_t *p = bytes;
	for (size_t i = 0; i < n; i++)
		feed(vt, p[i]);
}
