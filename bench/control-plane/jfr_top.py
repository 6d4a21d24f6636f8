#!/usr/bin/env python3
"""Summarize `jfr print --events jdk.ExecutionSample --stack-depth N` output of all threads.

Unlike bench/manager/jfr_top.py, which counts only Jetty's HTTP workers, this counts every
thread, because the control plane works on MINA I/O threads, MINA's ssl-exec threads and the
manager's own pools besides Jetty. It prints the share of samples by thread pool, by the top
frame's component, the top frames, and the methods anywhere in the stack (inclusive share).
Stacks deeper than the depth given to `jfr print` are cut, so inclusive shares of outer frames
are lower bounds.
"""

import collections
import re
import sys

# Package prefixes, first match wins, that group top frames by component.
GROUPS = [
    ("org.apache.derby.", "Derby"),
    ("io.weft.", "Weft"),
    ("org.bouncycastle.", "Bouncy Castle"),
    ("sun.security.ssl.", "JDK TLS"),
    ("sun.security.", "JDK crypto"),
    ("com.sun.crypto.", "JDK crypto"),
    ("java.security.", "JDK crypto"),
    ("javax.crypto.", "JDK crypto"),
    ("com.fasterxml.jackson.", "Jackson"),
    ("org.apache.mina.", "MINA"),
    ("org.apache.cxf.", "CXF"),
    ("org.eclipse.jetty.", "Jetty"),
    ("org.ops4j.pax.", "Pax"),
    ("org.apache.felix.", "Felix"),
    ("sun.nio.", "JDK I/O"),
    ("java.", "JDK other"),
    ("jdk.", "JDK other"),
    ("sun.", "JDK other"),
]

# Components whose methods the inclusive list shows.
INCLUSIVE_GROUPS = ("Weft", "Derby", "Bouncy Castle", "JDK TLS", "MINA", "Jackson")

# Frames of classes compiled without line numbers, such as Bouncy Castle, have no "line:".
FRAME = re.compile(r"^\s+([\w$.<>]+)\(.*\)(\s+line:.*)?$")
THREAD = re.compile(r'sampledThread = "([^"]*)"')
DIGITS = re.compile(r"[-#]?\d+")


def group_of(method):
    for prefix, name in GROUPS:
        if method.startswith(prefix):
            return name
    return "other"


def pool_of(thread):
    """Returns the thread name without numbers, such as 'NioProcessor' or 'qtp'."""
    return DIGITS.sub("", thread or "(unnamed)") or thread


def read_samples(path):
    """Yield (thread name, list of methods from the top frame down) per sample."""
    thread, frames, in_stack = None, [], False
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if line.startswith("jdk.ExecutionSample"):
                thread, frames, in_stack = None, [], False
            elif (match := THREAD.search(line)):
                thread = match.group(1)
            elif "stackTrace = [" in line:
                in_stack = True
            elif in_stack and line.strip() == "]":
                in_stack = False
                yield thread, frames
            elif in_stack and (match := FRAME.match(line)):
                frames.append(match.group(1))


def print_shares(title, counter, total, limit):
    print(f"\n{title}")
    for name, count in counter.most_common(limit):
        print(f"  {100.0 * count / total:5.1f} %  {name}")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: jfr_top.py SAMPLES_TEXT_FILE")
    total = 0
    by_pool = collections.Counter()
    by_group = collections.Counter()
    by_top = collections.Counter()
    inclusive = collections.Counter()
    for thread, frames in read_samples(sys.argv[1]):
        if not frames:
            continue
        total += 1
        by_pool[pool_of(thread)] += 1
        by_group[group_of(frames[0])] += 1
        by_top[frames[0]] += 1
        for method in set(frames):
            inclusive[method] += 1

    print(f"execution samples: {total} in all threads")
    if total == 0:
        return
    print_shares("share of samples by thread pool:", by_pool, total, 15)
    print_shares("share of samples by the top frame's component:", by_group, total, 20)
    print_shares("top frames (self):", by_top, total, 30)
    print(f"\nmethods anywhere in the stack (inclusive), {', '.join(INCLUSIVE_GROUPS)} only:")
    printed = 0
    for method, count in inclusive.most_common():
        if group_of(method) in INCLUSIVE_GROUPS:
            print(f"  {100.0 * count / total:5.1f} %  {method}")
            printed += 1
            if printed == 50:
                break


if __name__ == "__main__":
    main()
