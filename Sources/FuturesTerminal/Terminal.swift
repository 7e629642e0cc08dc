import CNcurses
import FuturesDashboard
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The ncurses backend: sets the terminal up, draws cell grids (only the
/// cells that changed), reads keys, and always puts the terminal back —
/// `restore()` is idempotent and also runs from the fatal-signal handler.
///
/// Threading rule: one thread (the dashboard loop) owns it.
public final class Terminal {
    private var previous: CellGrid?
    private var restored = false
    private let color: Bool

    /// Takes over the terminal. `color`: use colours if the terminal has them.
    /// Whether this terminal (`TERM`) can address the cursor: without that
    /// (`TERM=dumb`, an unknown or missing `TERM`) ncurses cannot draw the
    /// dashboard, and the caller prints the report instead.
    public static var canAddressCursor: Bool {
        fl_can_address_cursor() != 0
    }

    public init(color: Bool) {
        setlocale(LC_ALL, "")
        _ = initscr()
        cbreak()
        noecho()
        nonl()
        intrflush(fl_stdscr(), false)
        keypad(fl_stdscr(), true)
        fl_define_home_end_keys()
        set_escdelay(25)
        curs_set(0)
        self.color = color && has_colors()
        if self.color {
            start_color()
            use_default_colors()
            for foreground in CellStyle.Color.allCases {
                for background in CellStyle.Color.allCases {
                    init_pair(Self.pair(foreground, background), Self.curses(foreground), Self.curses(background))
                }
            }
        }
        terminalIsTakenOver.store(true, ordering: .sequentiallyConsistent)
        installFatalSignalHandlers()
    }

    deinit {
        restore()
    }

    /// Gives the terminal back: normal mode, cursor visible, screen restored.
    public func restore() {
        guard !restored else { return }
        restored = true
        terminalIsTakenOver.store(false, ordering: .sequentiallyConsistent)
        curs_set(1)
        endwin()
    }

    public var size: (width: Int, height: Int) {
        (Int(fl_cols()), Int(fl_lines()))
    }

    /// The next key, waiting up to `milliseconds` (nil: none came).
    public func readKey(milliseconds: Int32) -> Key? {
        timeout(milliseconds)
        var character: wint_t = 0
        let result = wget_wch(fl_stdscr(), &character)
        if result == KEY_CODE_YES {
            return Self.special(Int32(character))
        }
        guard result == OK else { return nil }
        switch character {
        case 27: return .escape
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
            return .character(Character(scalar))
        }
    }

    static func special(_ code: Int32) -> Key? {
        switch code {
        case fl_key_left(): .left
        case fl_key_right(): .right
        case fl_key_up(): .up
        case fl_key_down(): .down
        case fl_key_page_up(): .pageUp
        case fl_key_page_down(): .pageDown
        case fl_key_home(): .home
        case fl_key_end(): .end
        case fl_key_enter(): .enter
        case fl_key_btab(): .backTab
        case fl_key_backspace(): .backspace
        case fl_key_resize(): .resize
        default: nil
        }
    }

    /// Draws `grid`, writing only the cells that differ from the last one.
    public func draw(_ grid: CellGrid) {
        let full = previous.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { erase() }
        var buffer: [wchar_t] = [0, 0, 0, 0, 0]
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if !full, let previous, previous[x, y] == cell { continue }
                var index = 0
                for scalar in cell.character.unicodeScalars.prefix(4) {
                    buffer[index] = wchar_t(bitPattern: scalar.value)
                    index += 1
                }
                buffer[index] = 0
                let (attributes, pair) = attributes(of: cell.style)
                buffer.withUnsafeBufferPointer { fl_put_cell(Int32(y), Int32(x), $0.baseAddress, attributes, pair) }
            }
        }
        previous = grid
        refresh()
    }

    /// Forgets what is on the screen (after a resize): the next draw is full.
    public func invalidate() {
        previous = nil
    }

    private func attributes(of style: CellStyle) -> (UInt32, Int16) {
        var attributes: UInt32 = 0
        if style.bold { attributes |= fl_attr_bold() }
        if style.dim { attributes |= fl_attr_dim() }
        if style.reverse { attributes |= fl_attr_reverse() }
        guard color else { return (attributes, 0) }
        return (attributes, Self.pair(style.foreground, style.background))
    }

    private static func pair(_ foreground: CellStyle.Color, _ background: CellStyle.Color) -> Int16 {
        Int16(1 + foreground.rawValue * CellStyle.Color.allCases.count + background.rawValue)
    }

    private static func curses(_ color: CellStyle.Color) -> Int16 {
        switch color {
        case .normal: -1
        case .red: Int16(COLOR_RED)
        case .green: Int16(COLOR_GREEN)
        case .yellow: Int16(COLOR_YELLOW)
        case .blue: Int16(COLOR_BLUE)
        case .magenta: Int16(COLOR_MAGENTA)
        case .cyan: Int16(COLOR_CYAN)
        case .gray: fl_colors() >= 16 ? 8 : Int16(COLOR_WHITE)
        }
    }
}

// MARK: - Signals

/// Set while the terminal is in the dashboard's mode; read by the fatal
/// signal handler.
private let terminalIsTakenOver = Atomic<Bool>(false)

/// The last SIGINT, SIGTERM or SIGHUP received (0: none): the dashboard loop
/// polls it and leaves cleanly.
public let pendingSignal = Atomic<Int32>(0)

/// Routes SIGINT, SIGTERM and SIGHUP to `pendingSignal`, so that the loop
/// restores the terminal and exits with 128 + the signal.
///
/// They are unblocked in the calling thread too (and so in the threads it
/// starts after): a process started by one whose threads block them (a test
/// runner's, a service manager's) inherits that mask, and would never see a
/// SIGTERM.
public func catchTerminationSignals() {
    var unblocked = sigset_t()
    sigemptyset(&unblocked)
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { number in pendingSignal.store(number, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, nil)
        sigaddset(&unblocked, signal)
    }
    pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
}

/// The handlers that were in place before ours (the Swift runtime's
/// backtracer, usually), to hand a crash on to once the terminal is back.
/// Written once, before our handlers are installed; read only by them.
nonisolated(unsafe) private let previousActions: UnsafeMutablePointer<sigaction> = {
    let actions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    actions.initialize(repeating: sigaction(), count: 65)
    return actions
}()
private let fatalSignals = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]
private let fatalHandlersInstalled = Atomic<Bool>(false)

/// On a crash, give the terminal back before dying (best effort: endwin is
/// not async-signal-safe, but the alternative is a broken terminal for sure),
/// then let the previous handler report the crash.
private func installFatalSignalHandlers() {
    guard !fatalHandlersInstalled.exchange(true, ordering: .sequentiallyConsistent) else { return }
    for signal in fatalSignals {
        sigaction(signal, nil, previousActions + Int(signal))
    }
    for signal in fatalSignals {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { number in
            if terminalIsTakenOver.exchange(false, ordering: .sequentiallyConsistent) { endwin() }
            sigaction(number, previousActions + Int(number), nil)
            raise(number)
        }
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, nil)
    }
}
