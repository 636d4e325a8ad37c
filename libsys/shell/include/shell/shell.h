/* SPDX-License-Identifier: MIT */
/*
 * The shell core: a line editor and a command layer that know nothing of the
 * device under them, so the serial console server and a later GUI terminal
 * host the same shell. The host feeds input bytes to shell_input() and gets
 * output bytes through its write callback; the shell never allocates after
 * shell_init() (every buffer lives in struct shell).
 *
 * Layers (files):
 *   libsys/shell/shell_edit.c     the line editor: keys, escape sequences, echo
 *   libsys/shell/shell_history.c  the history ring behind the up/down arrows
 *   libsys/shell/shell_cmd.c      words, the command table, help, echo, printf
 *
 * Keys: printable ASCII and UTF-8 characters insert at the cursor (a full
 * line rings the bell; an invalid or cut sequence is dropped);
 * BS or DEL erases the character left of the cursor; CR, LF or CR LF (one Enter) ends the
 * line; Ctrl-C abandons the line ("^C" and a new prompt); Ctrl-U kills the
 * line; Ctrl-A/Ctrl-E or Home/End move to the ends; left/right arrows move;
 * Delete erases under the cursor; up/down (ESC [ A/B or ESC O A/B) walk the
 * history, ringing the bell at either end; Tab asks the host's complete
 * callback (without one it is ignored), which may insert text with
 * shell_insert or print a list and then shell_prompt to redraw. Other escape sequences are read
 * to their end and dropped; other control bytes are ignored. The cursor
 * moves by character and the screen is redrawn by column (a wide
 * character, such as kanji, takes two).
 *
 * Output uses only printable characters, BS (cursor left), space, BEL and
 * CR LF, so any terminal that moves left on BS can host the shell. Text
 * written through shell_printf() has each "\n" turned into "\r\n".
 *
 * Commands run synchronously inside shell_input() when Enter is pressed.
 * While one runs, input is not edited: Ctrl-C sets shell_interrupted() and
 * calls the host's interrupt callback; other bytes are dropped. A command
 * that finishes later (say, a program it started) calls shell_job_begin()
 * before returning, and the host calls shell_job_end() when it is done; the
 * next prompt appears then.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHELL_LINE_MAX	 255 /* bytes (UTF-8) in a line, without the NUL */
#define SHELL_HISTORY	 16  /* lines the history keeps */
#define SHELL_ARGS_MAX	 32  /* words in a command line */
#define SHELL_PROMPT_MAX 32  /* bytes of the prompt, with the NUL */

struct shell;

/* Receives `n` bytes of output at `s` (not NUL-terminated). */
typedef void shell_write_fn(void *ctx, const char *s, size_t n);
/* Ctrl-C arrived while a command or job was running. */
typedef void shell_interrupt_fn(void *ctx);
/* A complete line (NUL-terminated, at most SHELL_LINE_MAX characters). */
typedef int shell_line_fn(struct shell *sh, const char *line);
/* Tab: complete the word before `cursor` in `line` (shell_insert, or a list and shell_prompt). */
typedef void shell_complete_fn(struct shell *sh, const char *line, size_t cursor);
/* The terminal's width in columns, or 0 when unknown. */
typedef size_t shell_columns_fn(void *ctx);

struct shell_command {
	const char *name;
	const char *help; /* one line for `help` */
	int (*fn)(struct shell *sh, int argc, char **argv);
};

struct shell_config {
	const struct shell_command *commands; /* the host's table */
	size_t command_count;
	const char *prompt;	       /* NULL: "> " */
	shell_write_fn *write;	       /* required */
	shell_interrupt_fn *interrupt; /* optional */
	shell_line_fn *line;	       /* optional: NULL runs shell_execute */
	shell_complete_fn *complete;   /* optional: what Tab does (NULL: nothing) */
	void *ctx;		       /* passed to the callbacks; see shell_context */
	shell_columns_fn *columns;     /* optional: the width, to move across wrapped rows */
};

/* Escape-sequence parser states (internal). */
enum shell_esc {
	SHELL_ESC_NONE,
	SHELL_ESC_START, /* after ESC */
	SHELL_ESC_CSI,	 /* after ESC [, reading parameters */
	SHELL_ESC_SS3,	 /* after ESC O, one final byte to come */
};

struct shell_history {
	char lines[SHELL_HISTORY][SHELL_LINE_MAX + 1];
	uint8_t count;			/* lines held */
	uint8_t newest;			/* slot of the newest line */
	int8_t browse;			/* -1: editing a fresh line; else 0 = newest ... count-1 */
	char saved[SHELL_LINE_MAX + 1]; /* the fresh line, while browsing */
};

/* Every field is internal; use the functions below. */
struct shell {
	struct shell_config cfg;
	char prompt[SHELL_PROMPT_MAX];
	char line[SHELL_LINE_MAX + 1];
	uint16_t len, cursor;
	uint8_t esc;	    /* enum shell_esc */
	uint8_t esc_len;    /* bytes of the CSI parameters so far */
	uint16_t esc_param; /* first CSI parameter (for ESC [ n ~) */
	bool after_cr;	    /* the last byte was CR: a following LF is the same Enter */
	uint8_t utf8[4];    /* a multi-byte character being typed */
	uint8_t utf8_len;   /* its bytes so far (0: none) */
	bool running;	    /* a line is being run (the line callback) */
	bool executing;	    /* shell_execute holds words and argv */
	bool job;	    /* a job is pending (shell_job_begin) */
	bool interrupted;   /* Ctrl-C since the command or job started */
	int status;	    /* of the last command */
	struct shell_history hist;
	char words[SHELL_LINE_MAX + 1]; /* the split copy of the line being run */
	char *argv[SHELL_ARGS_MAX + 1];
};

/* Set up `sh`; E_INVAL without a write callback or with a NULL table entry.
 * A prompt longer than SHELL_PROMPT_MAX - 1 is cut. Prints nothing. */
int shell_init(struct shell *sh, const struct shell_config *cfg);
/* Print the prompt and the line being edited: the first prompt, or a redraw
 * after the host printed something of its own. */
void shell_prompt(struct shell *sh);
/* Feed one input byte. */
void shell_input(struct shell *sh, uint8_t byte);

/* Insert text at the cursor as if typed (for completion); the bell if it does not fit. */
void shell_insert(struct shell *sh, const char *text);
/* The line being edited (NUL-terminated) and the cursor in it. */
const char *shell_line(const struct shell *sh, size_t *cursor);
void *shell_context(const struct shell *sh);
int shell_last_status(const struct shell *sh);
/* Ctrl-C arrived since the running command or job started. */
bool shell_interrupted(const struct shell *sh);
/* The running command continues after it returns (see the top). */
void shell_job_begin(struct shell *sh);
void shell_job_end(struct shell *sh, int status);

/* History: number of lines, and line i (0 = newest) or NULL. */
size_t shell_history_count(const struct shell *sh);
const char *shell_history_get(const struct shell *sh, size_t i);

/*
 * Split `line` in place into words: runs of spaces and tabs separate them;
 * "double quotes" keep spaces inside a word and may join with text around
 * them (a"b c" is one word, ab c); a backslash makes the next character
 * literal (\" \\ \ ). Sets argv[0..*argc-1] and argv[*argc] = NULL.
 * E_INVAL with *err set for an unterminated quote or a trailing backslash,
 * E_NOSPACE for more than max_words words.
 */
int shell_split(char *line, char **argv, int max_words, int *argc, const char **err);

/*
 * Run one command line: split it, then the host's command of that name, or
 * the built-in `help`. Reports its own errors (bad quoting, unknown command)
 * and returns the command's status; E_NOENT for an unknown command, E_INVAL
 * for bad quoting or a line over SHELL_LINE_MAX, E_BUSY while a command runs.
 * An empty line does nothing and returns 0.
 */
int shell_execute(struct shell *sh, const char *line);

/* Output through the host's callback; shell_printf turns "\n" into "\r\n". */
void shell_write(struct shell *sh, const char *s, size_t n);
int shell_printf(struct shell *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int shell_vprintf(struct shell *sh, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Ready-made commands a host may put in its table. */
int shell_cmd_echo(struct shell *sh, int argc, char **argv); /* echo [-n] words... */
int shell_cmd_help(struct shell *sh, int argc, char **argv); /* help [command] */
