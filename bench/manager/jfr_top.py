#!/usr/bin/env python3
"""Summarize `jfr print --events jdk.ExecutionSample --stack-depth N` output.

Counts only samples of the manager's HTTP worker threads (Jetty's "qtp" pool), then prints
the share of samples by package group of the top frame, the top frames, and the methods
that appear anywhere in the stack (inclusive share). Stacks deeper than the depth given to
`jfr print` are cut, so inclusive shares of outer frames are lower bounds.
"""

import collections
import re
import sys

# Package prefixes, first match wins, that group top frames by component.
GROUPS = [
    ("org.apache.derby.", "Derby"),
    ("io.weft.", "Weft"),
    ("com.fasterxml.jackson.", "Jackson"),
    ("org.apache.cxf.", "CXF"),
    ("org.eclipse.jetty.", "Jetty"),
    ("org.ops4j.pax.web.", "Pax Web"),
    ("org.apache.felix.", "Felix"),
    ("org.eclipse.osgi.", "Equinox"),
    ("sun.nio.", "JDK I/O"),
    ("java.", "JDK"),
    ("jdk.", "JDK"),
    ("sun.", "JDK"),
]

FRAME = re.compile(r"^\s+([\w$.<>]+)\(.*\)\s+line:")
THREAD = re.compile(r'sampledThread = "([^"]*)"')


def group_of(method):
    for prefix, name in GROUPS:
        if method.startswith(prefix):
            return name
    return "other"


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


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: jfr_top.py SAMPLES_TEXT_FILE")
    total = 0
    all_threads = 0
    by_group = collections.Counter()
    by_top = collections.Counter()
    inclusive = collections.Counter()
    for thread, frames in read_samples(sys.argv[1]):
        all_threads += 1
        if not thread or not thread.startswith("qtp") or not frames:
            continue
        total += 1
        by_group[group_of(frames[0])] += 1
        by_top[frames[0]] += 1
        for method in set(frames):
            inclusive[method] += 1

    print(f"execution samples: {all_threads} in all threads, {total} in HTTP worker threads (qtp)")
    if total == 0:
        return
    print("\nshare of HTTP worker samples by the top frame's component:")
    for name, count in by_group.most_common():
        print(f"  {100.0 * count / total:5.1f} %  {name}")
    print("\ntop frames (self):")
    for method, count in by_top.most_common(25):
        print(f"  {100.0 * count / total:5.1f} %  {method}")
    print("\nmethods anywhere in the stack (inclusive), Weft, Derby and Jackson only:")
    printed = 0
    for method, count in inclusive.most_common():
        if group_of(method) in ("Weft", "Derby", "Jackson"):
            print(f"  {100.0 * count / total:5.1f} %  {method}")
            printed += 1
            if printed == 40:
                break


if __name__ == "__main__":
    main()
