# Submit-to-commit latency against offered load (scripts/bench.sh plot writes the data).
# gnuplot -e "datafile='latency-vs-load.dat'; outfile='latency-vs-load.png'" latency-vs-load.gp
# Columns: offered tx/s, committed tx/s, committed share, p50, p95, p99, max (ms; NaN: the
# percentile fell among transactions that never committed, so it is not drawn).
set terminal pngcairo size 960,600 font "sans,11"
set output outfile
set title "TradeLedger, 4 validators on one 2-CPU machine, open loop: latency and throughput"
set xlabel "offered load (transactions/s)"
set ylabel "latency from intended send to commit (ms)"
set y2label "committed (transactions/s)"
set logscale x
set logscale y
set logscale y2
set xrange [35:2800]
set yrange [3:100000]
set y2range [30:3000]
set ytics nomirror
set y2tics
set grid xtics ytics mxtics mytics
set key top left box opaque
set datafile missing "NaN"
plot datafile using 1:4 with linespoints lw 2 pt 7 title "p50 latency", \
     datafile using 1:6 with linespoints lw 2 pt 5 title "p99 latency", \
     250 with lines dt 2 lc rgb "gray40" title "p99 target at 1,000 tx/s (250 ms)", \
     datafile using 1:2 axes x1y2 with linespoints lw 1 dt 3 pt 6 lc rgb "black" \
       title "committed tx/s (right axis)"
