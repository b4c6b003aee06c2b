#!/usr/bin/env Rscript
# extra_reference.R -- R's answers for what ../shared/reference/reference.R does not print:
#   * Kaplan-Meier with conf.type = "plain" (table limits, S at times, median, quantiles)
#   * median follow-up: median of the reverse Kaplan-Meier, survfit(Surv(time, 1 - status) ~ 1)
#   * survdiff G-rho for rho = 0.5 and 2, stratified Peto-Peto (rho = 1)
#   * pairwise log-rank: every pair of levels on its own rows, p unadjusted, p.adjust "holm", "bonferroni"
# Usage: Rscript extra_reference.R INPUT.csv --groups=g1,g2 --times=... [--strata=COL] --out=FILE.json
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
opt <- list(times = "365,730", strata = "", out = "")
for (a in args) {
  if (startsWith(a, "--")) {
    kv <- strsplit(sub("^--", "", a), "=", fixed = TRUE)[[1]]; opt[[kv[1]]] <- kv[2]
  } else input <- a
}
fixed_times <- as.numeric(strsplit(opt$times, ",", fixed = TRUE)[[1]])
groups <- strsplit(opt$groups, ",", fixed = TRUE)[[1]]
d <- read.csv(input, stringsAsFactors = FALSE)
d$.time <- as.numeric(d$time_days); d$.status <- as.integer(d$status)

plain_block <- function(f) {
  s <- summary(f, times = fixed_times, extend = TRUE)
  q <- quantile(f, probs = c(0.25, 0.5, 0.75), conf.int = TRUE)
  tb <- summary(f)$table
  list(table = data.frame(time = f$time, lower = f$lower, upper = f$upper),
       surv_at = data.frame(time = s$time, surv = s$surv, lower = s$lower, upper = s$upper,
                            beyond_follow_up = s$time > max(f$time)),
       median = list(median = unname(tb["median"]), lower = unname(tb["0.95LCL"]),
                     upper = unname(tb["0.95UCL"])),
       quantiles = list(p = c(0.25, 0.5, 0.75), time = unname(q$quantile), lower = unname(q$lower),
                        upper = unname(q$upper)))
}
followup <- function(data) {
  tb <- summary(survfit(Surv(.time, 1 - .status) ~ 1, data = data))$table
  list(median = unname(tb["median"]), lower = unname(tb["0.95LCL"]), upper = unname(tb["0.95UCL"]))
}
test_block <- function(fo, data, rho) {
  sd <- survdiff(fo, data = data, rho = rho)
  o <- if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs
  e <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp
  df <- sum(e > 0) - 1
  list(rho = rho, chisq = sd$chisq, df = df, p = pchisq(sd$chisq, df, lower.tail = FALSE),
       observed = as.numeric(o), expected = as.numeric(e), var_diag = diag(as.matrix(sd$var)))
}

res <- list(meta = list(generator = "extra_reference.R", R = R.version.string,
                        survival = as.character(packageVersion("survival")), input = basename(input),
                        fixed_times = fixed_times),
            overall = list(plain = plain_block(survfit(Surv(.time, .status) ~ 1, data = d, conf.type = "plain")),
                           followup = followup(d)),
            groups = list())
for (g in groups) {
  dg <- d[!is.na(d[[g]]) & d[[g]] != "", , drop = FALSE]
  dg$.g <- factor(dg[[g]]); lv <- levels(dg$.g)
  fo <- Surv(.time, .status) ~ .g
  fit <- survfit(fo, data = dg, conf.type = "plain")
  plain <- list(); fu <- list()
  for (i in seq_along(lv)) {
    plain[[lv[i]]] <- plain_block(fit[i])
    fu[[lv[i]]] <- followup(dg[dg$.g == lv[i], ])
  }
  pairs <- combn(length(lv), 2)
  pw <- lapply(seq_len(ncol(pairs)), function(j) {
    sub <- dg[dg$.g %in% lv[pairs[, j]], ]; sub$.g <- droplevels(sub$.g)
    sd <- survdiff(fo, data = sub)
    list(first = lv[pairs[1, j]], second = lv[pairs[2, j]], chisq = sd$chisq,
         p = pchisq(sd$chisq, 1, lower.tail = FALSE))
  })
  p <- sapply(pw, function(x) x$p)
  holm <- p.adjust(p, "holm"); bonf <- p.adjust(p, "bonferroni")
  for (j in seq_along(pw)) { pw[[j]]$p_holm <- holm[j]; pw[[j]]$p_bonferroni <- bonf[j] }
  res$groups[[g]] <- list(levels = lv, plain = plain, followup = fu,
                          grho = list(test_block(fo, dg, 0.5), test_block(fo, dg, 2)),
                          pairwise = pw)
  st <- opt$strata
  if (nzchar(st) && st != g) {
    ds <- dg[!is.na(dg[[st]]) & dg[[st]] != "", , drop = FALSE]; ds$.s <- factor(ds[[st]])
    res$groups[[g]]$stratified_peto <- c(list(strata = st),
      test_block(Surv(.time, .status) ~ .g + strata(.s), ds, 1))
  }
}
txt <- toJSON(res, auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = TRUE)
if (nzchar(opt$out)) writeLines(txt, opt$out) else cat(txt, "\n")
