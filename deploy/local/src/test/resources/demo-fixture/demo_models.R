#!/usr/bin/env Rscript
# R's multivariable Cox models on the demo cohort loaded through intake (efs.csv, os.csv from derive_demo.R), for
# PlatformEndToEndIT: MYCN adjusted for episode type and response (episodes without a response assessment are left
# out, as R's na.omit and the API's listwise deletion do), a stratified and clustered model, and an interaction.
# Run by regenerate.sh; tests never call R. Writes models.expected.json.
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
source("../../../../../../services/analytics-service/src/test/resources/fixture/cox_models.R")
MODELS <- list(
  list(name = "mycn_adjusted_for_type_and_response", factors = c("mycn_amplified", "episode_type", "response_or_stabilisation"),
       ties = "efron"),
  list(name = "mycn_immunotherapy_strata_site_cluster", factors = c("mycn_amplified", "immunotherapy"), strata = "site",
       cluster = TRUE, ties = "efron"),
  list(name = "mycn_order_interaction_breslow", factors = c("mycn_amplified", "episode_order"),
       interaction = c("mycn_amplified", "episode_order"), ties = "breslow"))
models_of <- function(file) {
  d <- read.csv(file, stringsAsFactors = FALSE)
  lapply(fit_models(d, MODELS), function(m) {
    used <- c(m$factors, m$strata)
    c(m, list(dropped = sum(!complete.cases(d[, used, drop = FALSE]))))
  })
}
res <- list(meta = list(generator = "demo_models.R", R = R.version.string,
                        survival = as.character(packageVersion("survival"))),
            efs = models_of("efs.csv"), os = models_of("os.csv"))
writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = TRUE), "models.expected.json")
