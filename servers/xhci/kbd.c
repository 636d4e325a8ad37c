/* SPDX-License-Identifier: MIT */
/*
 * The boot keyboard (HID 1.11 appendix B.1: modifier byte, reserved byte,
 * six key usages) and the keymaps that turn usages (HID usage tables,
 * Keyboard/Keypad page 0x07) into key codes and UTF-8 text: US and
 * Japanese 106/109 (JIS), whose extra keys are ro (International1, 0x87),
 * katakana/hiragana (International2, 0x88), yen (International3, 0x89),
 * henkan (International4, 0x8A) and muhenkan (International5, 0x8B).
 * A report is compared with the last one: modifiers and keys that went
 * down are presses, those that went up releases. A report of phantom
 * usages (ErrorRollOver, 0x01) changes nothing.
 *
 * Key codes: the character on the key's unshifted level in the current
 * layout ('a', '1', ';') for keys that type one, else KBD_KEY_BASE + usage.
 */
#include <string.h>

#include "usb.h"

#define KBD_KEY_BASE   0x100u
#define USAGE_A	       0x04
#define USAGE_Z	       0x1D
#define USAGE_CAPS     0x39
#define USAGE_NUM      0x53
#define USAGE_LCTRL    0xE0
#define USAGE_ROLLOVER 0x01
#define FIRST_SYMBOL   0x1E /* 1 */
#define LAST_SYMBOL    0x38 /* / */

/* Usages 0x1E-0x38: unshifted and shifted characters, US layout. */
static const char us_keys[][2] = {
	{'1', '!'}, {'2', '@'},	 {'3', '#'}, {'4', '$'},   {'5', '%'},	 {'6', '^'},   {'7', '&'},
	{'8', '*'}, {'9', '('},	 {'0', ')'}, {'\n', '\n'}, {0x1B, 0x1B}, {'\b', '\b'}, {'\t', '\t'},
	{' ', ' '}, {'-', '_'},	 {'=', '+'}, {'[', '{'},   {']', '}'},	 {'\\', '|'},  {'#', '~'},
	{';', ':'}, {'\'', '"'}, {'`', '~'}, {',', '<'},   {'.', '>'},	 {'/', '?'},
};
/* The same on a JIS keyboard (0 on 0x27 shifted types nothing; 0x35 is hankaku/zenkaku). */
static const char jp_keys[][2] = {
	{'1', '!'}, {'2', '"'}, {'3', '#'}, {'4', '$'},	  {'5', '%'},	{'6', '&'},   {'7', '\''},
	{'8', '('}, {'9', ')'}, {'0', 0},   {'\n', '\n'}, {0x1B, 0x1B}, {'\b', '\b'}, {'\t', '\t'},
	{' ', ' '}, {'-', '='}, {'^', '~'}, {'@', '`'},	  {'[', '{'},	{']', '}'},   {']', '}'},
	{';', '+'}, {':', '*'}, {0, 0},	    {',', '<'},	  {'.', '>'},	{'/', '?'},
};
_Static_assert(sizeof(us_keys) / 2 == LAST_SYMBOL - FIRST_SYMBOL + 1, "one row per usage");
_Static_assert(sizeof(jp_keys) / 2 == LAST_SYMBOL - FIRST_SYMBOL + 1, "one row per usage");

/* The JIS-only keys that type text: ro (\ _) and yen (U+00A5 |). */
static bool jp_extra(uint16_t usage, bool shift, uint16_t *key, char text[7])
{
	if (usage == 0x87) {
		*key = '\\';
		text[0] = shift ? '_' : '\\';
		return true;
	}
	if (usage == 0x89) {
		*key = 0xA5;
		if (shift)
			text[0] = '|';
		else
			text[0] = (char)0xC2, text[1] = (char)0xA5; /* U+00A5 in UTF-8 */
		return true;
	}
	return false;
}

static void letter(uint16_t usage, uint16_t mods, uint16_t *key, char text[7])
{
	char c = (char)('a' + usage - USAGE_A);
	bool upper = !!(mods & INPUT_MOD_SHIFT) != !!(mods & INPUT_MOD_CAPS);

	*key = (uint16_t)c;
	if (mods & INPUT_MOD_CTRL)
		text[0] = (char)(c - 'a' + 1); /* Ctrl-A is 0x01 */
	else
		text[0] = upper ? (char)(c - 'a' + 'A') : c;
}

void kbd_translate(enum input_layout layout, uint16_t usage, uint16_t mods, uint16_t *key,
		   char text[7])
{
	bool shift = mods & INPUT_MOD_SHIFT;

	memset(text, 0, 7);
	*key = (uint16_t)(KBD_KEY_BASE + usage);
	if (usage >= USAGE_A && usage <= USAGE_Z) {
		letter(usage, mods, key, text);
		return;
	}
	if (layout == INPUT_LAYOUT_JP && jp_extra(usage, shift, key, text))
		return;
	if (usage < FIRST_SYMBOL || usage > LAST_SYMBOL)
		return;
	const char *row = layout == INPUT_LAYOUT_JP ? jp_keys[usage - FIRST_SYMBOL]
						    : us_keys[usage - FIRST_SYMBOL];
	if (row[0] > ' ')
		*key = (uint16_t)row[0];
	text[0] = row[shift ? 1 : 0];
}

static bool has(const uint8_t *keys, uint8_t usage)
{
	for (int i = 0; i < 6; i++)
		if (keys[i] == usage)
			return true;
	return false;
}

static void key_event(struct kbd_state *k, uint16_t usage, uint8_t action, uint16_t mods,
		      struct input_event *ev)
{
	*ev = (struct input_event){
		.type = INPUT_KEY, .action = action, .code = usage, .mods = mods};
	kbd_translate(k->layout, usage, mods, &ev->key, ev->text);
	if (action == INPUT_RELEASE || usage >= USAGE_LCTRL)
		memset(ev->text, 0, sizeof(ev->text));
}

static bool toggle_lock(struct kbd_state *k, uint8_t usage)
{
	uint16_t bit = usage == USAGE_CAPS  ? INPUT_MOD_CAPS
		       : usage == USAGE_NUM ? INPUT_MOD_NUM
					    : 0;

	k->locks ^= bit;
	return bit != 0;
}

uint32_t kbd_report(struct kbd_state *k, const uint8_t *report, size_t len, struct input_event *ev,
		    uint32_t max, bool *leds_changed)
{
	const uint8_t *old = k->last + 2, *keys = report + 2;
	uint32_t n = 0;

	*leds_changed = false;
	if (len < 8 || max < KBD_EVENTS_MAX || report[2] == USAGE_ROLLOVER)
		return 0;
	uint8_t mods = report[0], changed = mods ^ k->last[0];
	for (unsigned i = 0; i < 8; i++)
		if (changed & (1u << i))
			key_event(k, (uint16_t)(USAGE_LCTRL + i), (mods >> i) & 1,
				  (uint16_t)(mods | k->locks), &ev[n++]);
	for (int i = 0; i < 6; i++)
		if (old[i] > USAGE_ROLLOVER && !has(keys, old[i]))
			key_event(k, old[i], INPUT_RELEASE, (uint16_t)(mods | k->locks), &ev[n++]);
	for (int i = 0; i < 6; i++)
		if (keys[i] > USAGE_ROLLOVER && !has(old, keys[i])) {
			*leds_changed |= toggle_lock(k, keys[i]);
			key_event(k, keys[i], INPUT_PRESS, (uint16_t)(mods | k->locks), &ev[n++]);
		}
	memcpy(k->last, report, 8);
	return n;
}

uint8_t kbd_leds(const struct kbd_state *k)
{
	return (uint8_t)((k->locks & INPUT_MOD_NUM ? 1 : 0) | (k->locks & INPUT_MOD_CAPS ? 2 : 0));
}
