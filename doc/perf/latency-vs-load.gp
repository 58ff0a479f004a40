# Submit-to-commit latency against offered load (scripts/bench.sh plot).
# gnuplot -e "datafile='latency-vs-load.dat'; outfile='latency-vs-load.png'" latency-vs-load.gp
set terminal pngcairo size 900,560 font "sans,11"
set output outfile
set title "TradeLedger, 4 validators on one 2-CPU machine: submit-to-commit latency (open loop)"
set xlabel "offered load (transactions/s)"
set ylabel "latency from intended send to commit (ms)"
set logscale xy
set grid xtics ytics mxtics mytics
set key top left
set xrange [*:*]
set yrange [10:*]
plot datafile using 1:3 with linespoints lw 2 pt 7 title "p50", \
     datafile using 1:5 with linespoints lw 2 pt 5 title "p99", \
     250 with lines dt 2 lc rgb "gray40" title "p99 target (250 ms)"
