#!/usr/bin/env Rscript
# cox_models.R -- R's answers (survival::coxph, cox.zph) for Cox models that reference.R does not
# cover: several covariates (factors and continuous), robust SE clustered by a column, stratified
# multi-covariate models, per-term cox.zph, diverging coefficients. Prints JSON.
#
# Usage: Rscript cox_models.R INPUT.csv --model='NAME|TIES|RHS|CLUSTER|FACTORS' [--model=...] [--out=F.json]
#   TIES     efron | breslow
#   RHS      right-hand side of the formula, e.g. "mycn + risk + age_years + strata(era)";
#            character columns become factors with levels sorted as R sorts them (first level
#            is the reference); an interaction a:b of two factors needs a + b in the formula
#   CLUSTER  a column for robust SE clustered on it (cluster(COL)); "robust" for robust=TRUE
#            without clusters (one cluster per row); empty for the model-based SE only
#   FACTORS  optional comma-separated numeric-looking columns to treat as factors (levels
#            sorted as strings); otherwise a numeric column is a continuous covariate
# Input: columns time_days, status (0/1) and the covariates; rows with NA in any variable the
# model uses are dropped (na.omit), so the JSON records n for each model.
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
models <- character(0); out <- ""; input <- NULL
for (a in args) {
  if (startsWith(a, "--model=")) models <- c(models, sub("^--model=", "", a))
  else if (startsWith(a, "--out=")) out <- sub("^--out=", "", a)
  else input <- a
}
d <- read.csv(input, stringsAsFactors = FALSE, check.names = FALSE, na.strings = c("", "NA"))
conf <- 0.95

one_model <- function(spec) {
  p <- strsplit(spec, "|", fixed = TRUE)[[1]]
  name <- p[1]; ties <- p[2]; rhs <- p[3]; cl <- if (length(p) >= 4) p[4] else ""
  fac <- if (length(p) >= 5 && nzchar(p[5])) strsplit(p[5], ",", fixed = TRUE)[[1]] else character(0)
  fo <- as.formula(paste("Surv(time_days, status) ~", rhs))
  vars <- all.vars(fo)[-(1:2)]
  strata_col <- { m <- regmatches(rhs, regexpr("strata\\(([^)]*)\\)", rhs))
                  if (length(m)) sub("strata\\(([^)]*)\\)", "\\1", m) else "" }
  used <- unique(c("time_days", "status", vars, if (nzchar(cl) && cl != "robust") cl))
  dd <- na.omit(d[, used, drop = FALSE])
  for (v in fac) dd[[v]] <- as.character(dd[[v]])
  covs <- setdiff(vars, strata_col)
  labels <- attr(terms(fo), "term.labels")
  interactions <- lapply(labels[grepl(":", labels, fixed = TRUE)], function(l) strsplit(l, ":", fixed = TRUE)[[1]])
  spec_out <- lapply(covs, function(v) if (is.character(dd[[v]]))
    list(name = v, type = "factor", levels = sort(unique(dd[[v]]))) else list(name = v, type = "numeric"))
  warns <- character(0)
  fit <- withCallingHandlers({
    if (cl == "robust") coxph(fo, data = dd, ties = ties, robust = TRUE)
    else if (nzchar(cl)) coxph(fo, data = dd, ties = ties, cluster = dd[[cl]])
    else coxph(fo, data = dd, ties = ties)
  }, warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  s <- summary(fit, conf.int = conf)
  cf <- s$coefficients; ci <- s$conf.int
  robust <- "robust se" %in% colnames(cf)
  dfm <- sum(!is.na(coef(fit)))
  test <- function(x) { x <- as.numeric(x)[1]   # rscore is a 1x1 matrix for one coefficient
    list(chisq = x, df = dfm, p = pchisq(x, dfm, lower.tail = FALSE)) }
  zph <- tryCatch(cox.zph(fit), error = function(e) NULL)
  list(name = name, ties = ties, rhs = rhs, cluster = cl, strata = strata_col, factors = as.list(fac),
       covariates = spec_out, interactions = interactions, n = fit$n, nevent = fit$nevent, iter = fit$iter,
       warnings = as.list(warns), robust = robust,
       terms = data.frame(term = rownames(cf), coef = cf[, "coef"], hr = cf[, "exp(coef)"],
                          se = cf[, "se(coef)"],
                          robust_se = if (robust) cf[, "robust se"] else NA,
                          z = cf[, "z"], p = cf[, "Pr(>|z|)"],
                          hr_lower = ci[, 3], hr_upper = ci[, 4], row.names = NULL),
       loglik_null = fit$loglik[1], loglik = fit$loglik[2],
       lrt = test(2 * diff(fit$loglik)), wald = test(fit$wald.test), score = test(fit$score),
       robust_score = if (robust) test(fit$rscore) else NULL,
       concordance = as.list(fit$concordance[c("concordant", "discordant", "tied.x", "tied.y", "tied.xy",
                                               "concordance", "std")]),
       zph = if (is.null(zph)) NULL else
         data.frame(term = rownames(zph$table), chisq = zph$table[, "chisq"],
                    df = zph$table[, "df"], p = zph$table[, "p"], row.names = NULL))
}

res <- list(meta = list(generator = "cox_models.R", R = R.version.string,
                        survival = as.character(packageVersion("survival")),
                        input = basename(input), conf_level = conf),
            models = lapply(models, one_model))
txt <- toJSON(res, auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = TRUE)
if (nzchar(out)) writeLines(txt, out) else cat(txt, "\n")
