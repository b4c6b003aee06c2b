#!/bin/sh
# Regenerates every Cox fixture in this directory (needs R with survival and jsonlite).
# Run from this directory: sh cox_fixtures.sh
set -e
REF=../../../../../../../shared/reference/reference.R
[ -f "$REF" ] || REF=/work/shared/reference/reference.R
Rscript cox_generate.R .
Rscript "$REF" cox_registry.csv --groups=mycn,risk --strata=era --out=cox_registry_reference.json
Rscript "$REF" cox_edge.csv --groups=grp,sex --strata=era --out=cox_edge_reference.json
Rscript "$REF" cox_heavyties.csv --groups=arm --strata=site --out=cox_heavyties_reference.json
Rscript "$REF" cox_lung.csv --groups=sex,ph_ecog --out=cox_lung_reference.json
Rscript "$REF" cox_veteran.csv --groups=trt,celltype --strata=prior --out=cox_veteran_reference.json
Rscript cox_models.R cox_registry.csv --out=cox_registry_models.json \
  --model='multi_efron_cluster|efron|mycn + risk + age_years|patient_id' \
  --model='multi_breslow_cluster|breslow|mycn + risk + age_years|patient_id' \
  --model='multi_strata_efron_cluster|efron|mycn + risk + age_years + strata(era)|patient_id' \
  --model='multi_strata_breslow|breslow|mycn + risk + age_years + strata(era)|' \
  --model='age_efron|efron|age_years|' \
  --model='risk_breslow_cluster|breslow|risk|patient_id' \
  --model='mycn_efron_robust|efron|mycn|robust' \
  --model='interaction_efron|efron|mycn + risk + mycn:risk|' \
  --model='interaction_strata_breslow_cluster|breslow|mycn + risk + mycn:risk + strata(era)|patient_id'
Rscript cox_models.R cox_edge.csv --out=cox_edge_models.json \
  --model='edge_diverging_efron|efron|grp + sex + age_years|' \
  --model='edge_diverging_breslow|breslow|grp|' \
  --model='edge_diverging_cluster|efron|grp + age_years|patient_id' \
  --model='edge_strata_efron|efron|sex + age_years + strata(era)|patient_id'
Rscript cox_models.R cox_lung.csv --out=cox_lung_models.json \
  --model='lung_multi_cluster|efron|sex + age + ph_ecog|inst' \
  --model='lung_breslow|breslow|sex + age + wt_loss|' \
  --model='lung_ecog_factor|efron|sex + ph_ecog|inst|sex,ph_ecog' \
  --model='lung_interaction|efron|sex + ph_ecog + sex:ph_ecog||sex,ph_ecog'
Rscript cox_models.R cox_veteran.csv --out=cox_veteran_models.json \
  --model='veteran_multi_robust|efron|trt + celltype + karno + age|robust' \
  --model='veteran_strata_breslow|breslow|trt + karno + strata(prior)|' \
  --model='veteran_factors_efron|efron|trt + celltype + prior|robust|trt,prior'
