#!/bin/sh
# Regenerates every competing-risks fixture in this directory (needs R with survival, cmprsk and
# jsonlite). Run from this directory: sh cr_fixtures.sh
set -e
REF=../../../../../../../shared/reference/reference_cr.R
[ -f "$REF" ] || REF=/work/shared/reference/reference_cr.R
Rscript cr_generate.R .
Rscript "$REF" cr_registry.csv --group=risk --times=0,365,730,1095,1825,3000 --out=cr_registry_reference.json
Rscript "$REF" cr_edge.csv --group=grp --times=0,30,100,200,250 --out=cr_edge_reference.json
Rscript cr_conftypes.R cr_registry.csv --out=cr_registry_conftypes.json
Rscript cr_conftypes.R cr_edge.csv --out=cr_edge_conftypes.json
