#!/bin/sh
# R's answers for the demo cohort loaded through intake (DemoCohortMatchesRIT). Needs Rscript with survival and
# jsonlite, and ../shared/reference beside the repository. Tests never call R.
#   1. ./mvnw -B -o -f deploy/local/pom.xml test -Dtest=DemoCohortTest   (writes target/demo-fixture/cohort.csv)
#   2. sh deploy/local/src/test/resources/demo-fixture/regenerate.sh
set -e
cd "$(dirname "$0")"
cp ../../../../target/demo-fixture/cohort.csv cohort.csv
ref=../../../../../../../shared/reference
Rscript derive_demo.R
groups=episode_type,episode_order,site,mycn_amplified,lymph_node_metastases,irinotecan_or_topotecan,local_radiotherapy
groups=$groups,immunotherapy,chemotherapy,consolidation,maintenance,local_surgery,trial_enrolment,biopsy,molecular_profiling
groups=$groups,response_or_stabilisation
for e in efs os; do
  Rscript "$ref/reference.R" "$e.csv" --groups="$groups" --times=365,730,1095 --tau=1095 --out="$e.expected.json"
done
Rscript demo_models.R
