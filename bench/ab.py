#!/usr/bin/env python3
"""A/B timing on a noisy machine: run two commands alternately N times and
print the median wall, user and sys time of each.

    bench/ab.py 5 OLD_BIN --root DIR build --output OUT -- NEW_BIN --root DIR build --output OUT

Alternating runs see the same background load, so their medians compare
where two separate series minutes apart would not."""
import subprocess,sys,os,statistics,time
n=int(sys.argv[1]); rest=sys.argv[2:]; i=rest.index('--'); cmds=[rest[:i],rest[i+1:]]
res=[[],[]]
for _ in range(n):
    for k,c in enumerate(cmds):
        t=time.perf_counter(); p=subprocess.Popen(c,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
        _,st,ru=os.wait4(p.pid,0); w=time.perf_counter()-t
        res[k].append((w,ru.ru_utime,ru.ru_stime))
for k in range(2):
    m=lambda j: statistics.median(r[j] for r in res[k])
    print(f"{'AB'[k]}: wall {m(0):.2f}  user {m(1):.2f}  sys {m(2):.2f}  (walls {' '.join(f'{r[0]:.2f}' for r in res[k])})")
