#!/bin/sh
# Regenerates every non-Cox, non-competing-risks fixture of the survival engine from R.
# Needs Rscript with the survival and jsonlite packages (Debian: r-base-core r-cran-survival r-cran-jsonlite).
# Run from this directory:  sh regenerate_expected.sh
set -e
REF=${REF:-../../../../../../../shared/reference/reference.R}
[ -f "$REF" ] || REF=/work/shared/reference/reference.R
Rscript make_datasets.R
Rscript distributions_r.R > distributions_r.txt
run() {  # name  groups  times  tau  strata
  Rscript "$REF" "$1.csv" --groups="$2" --times="$3" --tau="$4" --strata="$5" --out="$1.expected.json"
  Rscript extra_reference.R "$1.csv" --groups="$2" --times="$3" --strata="$5" --out="$1.extra.json"
}
run registry_ties episode_type,mycn,order,site 0,90,365,730,1095,1825,3000 365,730,1825,3000 order
run edge_cases arm,pair 0,1,5,9,15,25,31,50 10,31,60 pair
run lung sex,ph_ecog 90,180,365,730 365,730,1000 sex
run veteran trt,celltype,prior 30,90,180,365 180,365,999 trt
# a second confidence level, so the level parameter is exercised too
Rscript "$REF" lung.csv --groups=sex,ph_ecog --times=90,180,365,730 --tau=365,730,1000 --strata=sex --conf=0.9 \
  --out=lung.conf90.expected.json
