/**
 * Logger in Redis's line shape: "pid:role dd Mon yyyy hh:mm:ss.mmm * message".
 * Writes to stdout or to a file; levels debug/verbose/notice/warning as in redis.conf.
 * Imports nothing from src.
 */
import { appendFileSync } from 'node:fs';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning' | 'nothing';
const RANK: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const MARK: Record<string, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export class Logger {
  level: LogLevel = 'notice';
  /** '' = stdout; null = silent (embedded servers). */
  file: string | null = '';
  role = 'M';

  log(level: Exclude<LogLevel, 'nothing'>, msg: string): void {
    if (this.file === null || RANK[level] < RANK[this.level]) return;
    const d = new Date();
    const p2 = (n: number) => String(n).padStart(2, '0');
    const ts = `${p2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
    const line = `${process.pid}:${this.role} ${ts} ${MARK[level]} ${msg}\n`;
    if (this.file === '') process.stdout.write(line);
    else {
      try {
        appendFileSync(this.file, line);
      } catch {
        process.stdout.write(line);
      }
    }
  }
}
