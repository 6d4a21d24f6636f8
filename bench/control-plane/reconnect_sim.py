#!/usr/bin/env python3
"""Estimate how long a fleet takes to reconnect after the manager's control port closes.

An event simulation of the node's reconnect backoff (io.weft.control.ExponentialBackoff:
full jitter, the n-th delay drawn from 0 to min(cap, base * 2^n)) against a control port
that is closed until --open seconds after the fleet lost its sessions. After that the port
runs handshakes one after another at --rate per second, in the order the connections
arrived. A connection waits in a queue of at most --queue places for at most --wait
seconds. A connection that finds the queue full, or whose wait ran out, fails, and its node
sleeps for its next backoff delay. Refused connections fail at once.

It models neither CPU shared with the nodes nor a handshake that fails for other reasons,
so its times are estimates for comparing settings, not predictions. Times are seconds from
the moment the fleet lost its sessions, which is bin/stop in bench/control-plane/run.sh.

    python3 bench/control-plane/reconnect_sim.py --nodes 10000 --open 15 --rate 200
"""

import argparse
import heapq
import random


def simulate(nodes, open_at, rate, queue_places, max_wait, base, cap, seed):
    """Return (last node back, attempts, closed because the queue was full, closed after waiting)."""
    rng = random.Random(seed)
    failures = [0] * nodes

    def next_delay(node):
        ceiling = min(cap, base * 2 ** failures[node])
        failures[node] += 1
        return rng.uniform(0, ceiling)

    attempts = [(next_delay(node), node) for node in range(nodes)]
    heapq.heapify(attempts)
    waiting = []
    head = 0
    port_free_at = open_at
    last_back = 0.0
    attempt_count = queue_full = expired = 0

    def serve_next():
        nonlocal head, port_free_at, last_back, expired
        arrived, node = waiting[head]
        head += 1
        start = max(port_free_at, arrived)
        if start - arrived > max_wait:
            expired += 1
            heapq.heappush(attempts, (start + next_delay(node), node))
            return
        port_free_at = start + 1.0 / rate
        last_back = max(last_back, port_free_at)

    while attempts or head < len(waiting):
        if head < len(waiting) and (not attempts or port_free_at <= attempts[0][0]):
            serve_next()
            continue
        at, node = heapq.heappop(attempts)
        attempt_count += 1
        if at < open_at:
            heapq.heappush(attempts, (at + next_delay(node), node))
        elif len(waiting) - head >= queue_places:
            queue_full += 1
            heapq.heappush(attempts, (at + next_delay(node), node))
        else:
            waiting.append((at, node))
    return last_back, attempt_count, queue_full, expired


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10000, help="fleet size")
    parser.add_argument("--open", type=float, default=15.0,
                        help="seconds from the loss of the sessions until the port accepts connections")
    parser.add_argument("--rate", type=float, default=200.0, help="handshakes the manager completes per second")
    parser.add_argument("--queue", type=int, default=4096 + 64,
                        help="connections that wait or are in their handshake (4,096 queued + 64 in handshake)")
    parser.add_argument("--wait", type=float, default=15.0, help="maximum wait in the queue, in seconds")
    parser.add_argument("--base", type=float, default=1.0, help="ceiling of the first backoff delay, in seconds")
    parser.add_argument("--cap", type=float, default=30.0, help="maximum backoff ceiling, in seconds")
    parser.add_argument("--seed", type=int, default=1, help="seed of the jitter")
    args = parser.parse_args()
    if min(args.nodes, args.rate, args.queue, args.base) <= 0 or args.cap < args.base:
        parser.error("--nodes, --rate, --queue and --base must be positive, and --cap at least --base")
    if args.open < 0 or args.wait < 0:
        parser.error(f"--open ({args.open:g}) and --wait ({args.wait:g}) must be 0 or more")

    last, attempt_count, queue_full, expired = simulate(args.nodes, args.open, args.rate, args.queue, args.wait,
                                                        args.base, args.cap, args.seed)
    print(f"last node back after {last:.1f} s; {attempt_count} attempts, {queue_full} closed because the queue was"
          f" full, {expired} closed after waiting more than {args.wait:g} s")


if __name__ == "__main__":
    main()
