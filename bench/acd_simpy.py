"""The same queue-level trace replayed with SimPy 2.3 (Debian's python3-simpy): one FIFO queue,
30 agents, each line's arrival, handle time and patience taken from the trace (M/M/c+M).
Prints one JSON line: calls, answered, abandoned, answered within 30 s, seconds of simulation
(reading the trace included)."""
import json
import sys
import time

from SimPy.Simulation import Process, Resource, activate, hold, initialize, now, release, request, simulate

THRESHOLD_SEC = 30.0


class Caller(Process):
    def call(self, agents, talk_sec, patience_sec, stats):
        arrived = now()
        if patience_sec is None:
            yield request, self, agents
        else:
            # Renege: leave the queue when patience runs out before an agent answers.
            yield (request, self, agents), (hold, self, patience_sec)
            if not self.acquired(agents):
                stats['abandoned'] += 1
                return
        wait = now() - arrived
        stats['answered'] += 1
        if wait <= THRESHOLD_SEC:
            stats['within'] += 1
        yield hold, self, talk_sec
        yield release, self, agents


class Source(Process):
    def generate(self, lines, agents, stats):
        for arrival, talk_sec, patience_sec in lines:
            if arrival > now():
                yield hold, self, arrival - now()
            c = Caller()
            activate(c, c.call(agents, talk_sec, patience_sec, stats))


def main():
    path, agents_n = sys.argv[1], int(sys.argv[2])
    started = time.perf_counter()
    lines = []
    with open(path, encoding='utf-8') as f:
        for text in f:
            if not text.strip():
                continue
            o = json.loads(text)
            lines.append((o['arrivalSec'], o['talkSec'], o.get('patienceSec')))
    read = time.perf_counter()
    initialize()
    agents = Resource(capacity=agents_n)
    stats = {'answered': 0, 'abandoned': 0, 'within': 0}
    src = Source()
    activate(src, src.generate(lines, agents, stats))
    simulate(until=1e12)
    done = time.perf_counter()
    print(json.dumps({'calls': len(lines), **stats, 'seconds': done - started, 'readSeconds': read - started}))


if __name__ == '__main__':
    main()
