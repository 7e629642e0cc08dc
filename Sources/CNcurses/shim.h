// The dashboard's only door to ncurses (wide-character build). Swift 6
// rejects reading C globals such as stdscr, LINES and COLS, and attribute
// macros do not import: both come through the small functions below.
#ifndef FUTURESLAB_CNCURSES_SHIM_H
#define FUTURESLAB_CNCURSES_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>
#include <locale.h>
#include <wchar.h>

static inline WINDOW *fl_stdscr(void) { return stdscr; }
static inline int fl_lines(void) { return LINES; }
static inline int fl_cols(void) { return COLS; }
static inline int fl_colors(void) { return COLORS; }

static inline unsigned int fl_attr_bold(void) { return A_BOLD; }
static inline unsigned int fl_attr_dim(void) { return A_DIM; }
static inline unsigned int fl_attr_reverse(void) { return A_REVERSE; }
static inline unsigned int fl_attr_underline(void) { return A_UNDERLINE; }
static inline unsigned int fl_color_pair(int pair) { return (unsigned int)COLOR_PAIR(pair); }

static inline int fl_key_resize(void) { return KEY_RESIZE; }
static inline int fl_key_left(void) { return KEY_LEFT; }
static inline int fl_key_right(void) { return KEY_RIGHT; }
static inline int fl_key_up(void) { return KEY_UP; }
static inline int fl_key_down(void) { return KEY_DOWN; }
static inline int fl_key_enter(void) { return KEY_ENTER; }
static inline int fl_key_page_up(void) { return KEY_PPAGE; }
static inline int fl_key_page_down(void) { return KEY_NPAGE; }
static inline int fl_key_home(void) { return KEY_HOME; }
static inline int fl_key_end(void) { return KEY_END; }
static inline int fl_key_btab(void) { return KEY_BTAB; }
static inline int fl_key_backspace(void) { return KEY_BACKSPACE; }
static inline int fl_err(void) { return ERR; }

/* Home and End as terminals and multiplexers send them, whatever TERM's
   terminfo says: tmux sends ESC[1~ / ESC[4~ under TERM=xterm-256color, whose
   terminfo names ESC OH / ESC OF; rxvt sends ESC[7~ / ESC[8~. */
static inline void fl_define_home_end_keys(void) {
    const char *homes[] = {"\033[1~", "\033[7~", "\033[H", "\033OH"};
    const char *ends[] = {"\033[4~", "\033[8~", "\033[F", "\033OF"};
    for (int i = 0; i < 4; i++) {
        if (key_defined(homes[i]) == 0) define_key(homes[i], KEY_HOME);
        if (key_defined(ends[i]) == 0) define_key(ends[i], KEY_END);
    }
}

/// Writes one character cell (UTF-8 text of one grapheme) with attributes.
static inline void fl_put_cell(int y, int x, const wchar_t *text, unsigned int attributes, short pair) {
    cchar_t cell;
    setcchar(&cell, text, (attr_t)attributes, pair, NULL);
    mvadd_wch(y, x, &cell);
}
// Whether the terminal TERM names can address the cursor (terminfo's
// `cup`): `dumb`, an unknown TERM or none cannot, and the dashboard then
// gives way to the report. term.h is not included (its macros, such as
// `lines`, would shadow names); these are its declarations.
struct term;
extern int setupterm(const char *, int, int *);
extern struct term *set_curterm(struct term *);
extern int del_curterm(struct term *);
static inline int fl_can_address_cursor(void) {
    int status = 0;
    if (setupterm(NULL, 1, &status) != OK) return 0;
    char *cup = tigetstr("cup");
    int can = cup != NULL && cup != (char *)-1;
    struct term *loaded = set_curterm(NULL);
    if (loaded) del_curterm(loaded);
    return can;
}

#endif
