#!/usr/bin/python3
"""hostile_check.py DIR [MAILDIR] — the byte checks of tests/e2e_hostile.sh.

Every file in DIR is checked by its kind, from its extension:
  .term  what reached a terminal (stdout, stderr, a TUI screen): valid UTF-8, no C0 control
         but '\\n', no DEL, no C1 control (U+0080-U+009F), no bidi embedding, override or
         isolate (U+202A-U+202E, U+2066-U+2069)
  .raw   the bytes a terminal received from the TUI (tmux pipe-pane): the TUI's own escape
         sequences are there, so only: valid UTF-8, no C1, no bidi, none of the data's
         sequences (OSC title, BEL)
  .csv   valid UTF-8, no control but the CRLF/LF line ends, no bidi, and every cell that
         starts with = + - @ (a formula to a spreadsheet) neutralised unless it is a number
  .html, .svg  valid UTF-8, no control but '\\n', no bidi, no <script> (the data's markup
         escaped); an SVG parses as XML
  .md    as a file: valid UTF-8, no control but '\\n', no bidi
  .ics   CRLF lines of at most 75 octets, no control but HTAB, no bidi, TEXT values escaped
Each message in MAILDIR (a Mailbox server's new/): headers ASCII, at most 78 columns, each a
field or a folded continuation, no Bcc, no header made by the data; decoded values without
controls.
Prints one line per problem (file, offset, what) and exits 1 when there is any.
"""
import csv
import email
import email.policy
import io
import os
import re
import sys
import xml.etree.ElementTree as ET

problems = []


def bad(path, what):
    problems.append("%s: %s" % (os.path.basename(path), what))


def forbidden_cp(c, allow):
    o = ord(c)
    if c in allow:
        return False
    return o < 0x20 or 0x7F <= o <= 0x9F or 0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069


def check_text(path, data, allow):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad(path, "invalid UTF-8 at byte %d: %r" % (e.start, data[max(0, e.start - 20):e.start + 10]))
        return None
    for i, c in enumerate(text):
        if forbidden_cp(c, allow):
            bad(path, "U+%04X at character %d: ...%r" % (ord(c), i, text[max(0, i - 30):i + 5]))
            break
    return text


NUMBER = re.compile(r"^[-+]?[0-9]+([.,][0-9]+)?(e[-+]?[0-9]+)?%?$")


def check_csv(path, data):
    text = check_text(path, data, "\r\n")
    if text is None:
        return
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER.match(cell):
                bad(path, "a formula cell: %r" % cell[:60])
                return


def check_markup(path, data, xml):
    text = check_text(path, data, "\n")
    if text is None:
        return
    if re.search(r"<\s*script", text, re.I):
        bad(path, "raw <script> from the data")
    if xml:
        try:
            ET.fromstring(data)
        except ET.ParseError as e:
            bad(path, "not well-formed XML: %s" % e)


def check_ics(path, data):
    if not data.endswith(b"\r\n"):
        bad(path, "does not end with CRLF")
    lines = data.split(b"\r\n")[:-1]
    for n, line in enumerate(lines, 1):
        if len(line) > 75:
            bad(path, "line %d is %d octets (folded at 75)" % (n, len(line)))
            return
        if b"\n" in line or b"\r" in line:
            bad(path, "line %d holds a bare CR or LF" % n)
            return
    text = check_text(path, data, "\r\n\t")
    if text is None:
        return
    unfolded = re.sub(r"\r\n[ \t]", "", text).split("\r\n")
    for line in unfolded:
        m = re.match(r"(SUMMARY|DESCRIPTION|LOCATION|COMMENT)(;[^:]*)?:(.*)$", line)
        if not m:
            continue
        v = m.group(3)
        i = 0
        while i < len(v):
            if v[i] == "\\":
                if i + 1 >= len(v) or v[i + 1] not in "\\;,nN":
                    bad(path, "bad escape in %r" % line[:80])
                    return
                i += 2
                continue
            if v[i] in ";,":
                bad(path, "unescaped %r in %r" % (v[i], line[:80]))
                return
            i += 1


def check_raw(path, data):
    text = check_text(path, data, "".join(chr(c) for c in range(0x20)) + "\x7f")
    if text is None:
        return
    for seq in ("\x1b]0;pwned", "\x07", "\x1b[2J\x1b[31m"):
        if seq in text:
            bad(path, "the data's sequence %r reached the terminal" % seq)


def check_mail(path, data):
    head, sep, _ = data.partition(b"\n\n")
    if not sep:
        head, sep, _ = data.partition(b"\r\n\r\n")
    lines = head.replace(b"\r\n", b"\n").split(b"\n")
    names = []
    for line in lines:
        if len(line) > 78:
            bad(path, "header line of %d columns: %r" % (len(line), line[:60]))
        if any(b > 0x7E or (b < 0x20 and b != 9) for b in line):
            bad(path, "header not ASCII: %r" % line[:60])
        if line[:1] in (b" ", b"\t"):
            continue
        m = re.match(rb"^([!-9;-~]+):", line)
        if not m:
            bad(path, "not a header field nor a continuation: %r" % line[:60])
            continue
        names.append(m.group(1).decode().lower())
    # aiosmtpd's Mailbox adds X-Peer, X-MailFrom, X-RcptTo
    known = {"from", "to", "reply-to", "subject", "date", "message-id", "mime-version",
             "content-type", "content-transfer-encoding", "x-peer", "x-mailfrom", "x-rcptto",
             "return-path", "auto-submitted", "x-mailer", "content-disposition", "in-reply-to",
             "references"}
    for n in names:
        if n not in known:
            bad(path, "unexpected header %r (made by the data?)" % n)
    if "bcc" in names:
        bad(path, "a Bcc header")
    msg = email.message_from_bytes(data, policy=email.policy.default)
    for k in ("From", "To", "Subject"):
        v = str(msg.get(k, ""))
        for c in v:
            if forbidden_cp(c, ""):
                bad(path, "%s decodes to U+%04X: %r" % (k, ord(c), v[:80]))
                break
    body = msg.get_body(("plain",))
    if body is not None:
        check_text(path + " (body)", body.get_content().encode("utf-8"), "\n\r\t")


def main():
    d = sys.argv[1]
    n = 0
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        data = open(path, "rb").read()
        ext = name.rsplit(".", 1)[-1]
        n += 1
        if ext == "term":
            check_text(path, data, "\n")
        elif ext == "raw":
            check_raw(path, data)
        elif ext == "csv":
            check_csv(path, data)
        elif ext in ("html", "svg"):
            check_markup(path, data, ext == "svg")
        elif ext == "md":
            check_text(path, data, "\n")
        elif ext == "ics":
            check_ics(path, data)
        else:
            n -= 1
            bad(path, "unknown kind")
    mails = 0
    if len(sys.argv) > 2 and os.path.isdir(sys.argv[2]):
        for name in sorted(os.listdir(sys.argv[2])):
            check_mail(os.path.join(sys.argv[2], name), open(os.path.join(sys.argv[2], name), "rb").read())
            mails += 1
    for p in problems:
        print(p)
    print("hostile_check: %d files, %d messages, %d problems" % (n, mails, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
