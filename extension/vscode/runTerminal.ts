/**
 * The run's terminal: a Pseudoterminal that shows the program's output and turns what the user
 * types into lines on the program's stdin (with local echo and backspace, as a cooked tty would:
 * the program reads a pipe, not a tty).
 */
import * as vscode from 'vscode';

export class RunTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private line = '';
  private opened = false;
  private pending: string[] = [];
  private inputClosed = false;
  readonly terminal: vscode.Terminal;

  constructor(
    name: string,
    private readonly onInput: (text: string) => void,
    private readonly onEndOfInput: () => void,
    private readonly onUserClose: () => void,
  ) {
    this.terminal = vscode.window.createTerminal({ name, pty: this, iconPath: new vscode.ThemeIcon('pulse') });
  }

  open(): void {
    this.opened = true;
    for (const p of this.pending) this.writeEmitter.fire(p);
    this.pending = [];
  }

  close(): void {
    this.onUserClose();
  }

  handleInput(data: string): void {
    if (this.inputClosed) return;
    for (const ch of data) {
      if (ch === '\r' || ch === '\n') {
        this.writeEmitter.fire('\r\n');
        this.onInput(this.line + '\n');
        this.line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line.length > 0) {
          this.line = this.line.slice(0, -1);
          this.writeEmitter.fire('\b \b');
        }
      } else if (ch === '\x04') {
        // Ctrl+D: end of input, as in a terminal.
        if (this.line) this.onInput(this.line);
        this.line = '';
        this.inputClosed = true;
        this.onEndOfInput();
      } else if (ch >= ' ' || ch === '\t') {
        this.line += ch;
        this.writeEmitter.fire(ch);
      }
    }
  }

  /** Program output; LF becomes CRLF for the terminal. */
  write(text: string): void {
    const data = text.replace(/\r?\n/g, '\r\n');
    if (this.opened) this.writeEmitter.fire(data);
    else this.pending.push(data);
  }

  /** A line from us rather than the program, dimmed. */
  note(text: string): void {
    this.write(`\x1b[2m${text}\x1b[0m\n`);
  }

  endInput(): void {
    this.inputClosed = true;
  }

  dispose(): void {
    this.terminal.dispose();
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
