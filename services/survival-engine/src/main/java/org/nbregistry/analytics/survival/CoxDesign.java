package org.nbregistry.analytics.survival;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The covariate matrix of a Cox model, one row per record, built from terms as R's model.matrix
 * builds it: a continuous term is one column; a factor with K levels is K−1 treatment-coded 0/1
 * columns, the first level the reference, named term + level (R's "riskintermediate").
 *
 * <p>Immutable. The matrix is row-major: {@code value(i, j)} is record i, column j.
 */
public final class CoxDesign {

    private final int rows;
    private final double[] x;
    private final String[] columnNames;
    private final int[] columnTerm;
    private final String[] termNames;
    private final List<List<String>> termLevels;

    private CoxDesign(int rows, double[] x, String[] columnNames, int[] columnTerm, String[] termNames,
                      List<List<String>> termLevels) {
        this.rows = rows;
        this.x = x;
        this.columnNames = columnNames;
        this.columnTerm = columnTerm;
        this.termNames = termNames;
        this.termLevels = termLevels;
    }

    public static Builder builder(int rows) {
        return new Builder(rows);
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columnNames.length;
    }

    public double value(int row, int column) {
        return x[row * columnNames.length + column];
    }

    public String columnName(int column) {
        return columnNames[column];
    }

    /** Index of the term that column {@code column} belongs to. */
    public int termOf(int column) {
        return columnTerm[column];
    }

    public int terms() {
        return termNames.length;
    }

    public String termName(int term) {
        return termNames[term];
    }

    /** Levels of a factor term in model order (reference first); empty for a continuous term. */
    public List<String> levels(int term) {
        return termLevels.get(term);
    }

    /** Copy of the row-major matrix. */
    double[] matrix() {
        return x.clone();
    }

    /** Builds a design column by column. */
    public static final class Builder {
        private final int rows;
        private final List<double[]> columns = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private final List<Integer> terms = new ArrayList<>();
        private final List<String> termNames = new ArrayList<>();
        private final List<List<String>> termLevels = new ArrayList<>();

        private Builder(int rows) {
            this.rows = rows;
        }

        /** A continuous covariate (one column). */
        public Builder numeric(String name, double[] values) {
            checkLength(values.length);
            for (double v : values) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(name + ": non-finite value; drop incomplete records first");
                }
            }
            columns.add(values.clone());
            names.add(name);
            terms.add(termNames.size());
            termNames.add(name);
            termLevels.add(List.of());
            return this;
        }

        /**
         * A factor whose levels are its distinct values in String order (as R orders plain ASCII
         * labels; pass the order explicitly otherwise). The first level is the reference.
         */
        public Builder factor(String name, String[] values) {
            return factor(name, values, List.copyOf(new TreeSet<>(Arrays.asList(values))));
        }

        /** A factor with levels in the given order (first = reference); every value must be a level. */
        public Builder factor(String name, String[] values, List<String> levels) {
            checkLength(values.length);
            Map<String, Integer> index = new HashMap<>();
            for (int l = 0; l < levels.size(); l++) {
                index.put(levels.get(l), l);
            }
            int term = termNames.size();
            for (int l = 1; l < levels.size(); l++) {
                double[] col = new double[rows];
                columns.add(col);
                names.add(name + levels.get(l));
                terms.add(term);
            }
            int first = columns.size() - (levels.size() - 1);
            for (int i = 0; i < rows; i++) {
                Integer l = index.get(values[i]);
                if (l == null) {
                    throw new IllegalArgumentException(name + ": value '" + values[i] + "' is not a level");
                }
                if (l > 0) {
                    columns.get(first + l - 1)[i] = 1.0;
                }
            }
            termNames.add(name);
            termLevels.add(List.copyOf(levels));
            return this;
        }

        /**
         * The interaction of two factor terms already added (R's {@code a:b} with both main effects in the model):
         * one column per pair of non-reference levels, the product of their dummies, the first factor's level
         * varying fastest, named as R names them ({@code "alevel:blevel"}, each part as its main-effect column).
         */
        public Builder interaction(String first, String second) {
            int a = termNames.indexOf(first);
            int b = termNames.indexOf(second);
            if (a < 0 || b < 0 || a == b || termLevels.get(a).isEmpty() || termLevels.get(b).isEmpty()) {
                throw new IllegalArgumentException("an interaction needs two different factor terms already added: "
                        + first + ", " + second);
            }
            int term = termNames.size();
            int firstA = names.indexOf(first + termLevels.get(a).get(1));
            int firstB = names.indexOf(second + termLevels.get(b).get(1));
            int ka = termLevels.get(a).size() - 1;
            int kb = termLevels.get(b).size() - 1;
            for (int lb = 0; lb < kb; lb++) {
                for (int la = 0; la < ka; la++) {
                    double[] ca = columns.get(firstA + la);
                    double[] cb = columns.get(firstB + lb);
                    double[] col = new double[rows];
                    for (int i = 0; i < rows; i++) {
                        col[i] = ca[i] * cb[i];
                    }
                    columns.add(col);
                    names.add(names.get(firstA + la) + ":" + names.get(firstB + lb));
                    terms.add(term);
                }
            }
            termNames.add(first + ":" + second);
            termLevels.add(List.of());
            return this;
        }

        private void checkLength(int n) {
            if (n != rows) {
                throw new IllegalArgumentException("expected " + rows + " values, got " + n);
            }
        }

        public CoxDesign build() {
            int p = columns.size();
            if (p == 0) {
                throw new IllegalArgumentException("a Cox model needs at least one covariate column");
            }
            double[] x = new double[rows * p];
            for (int j = 0; j < p; j++) {
                double[] col = columns.get(j);
                for (int i = 0; i < rows; i++) {
                    x[i * p + j] = col[i];
                }
            }
            int[] ct = new int[p];
            for (int j = 0; j < p; j++) {
                ct[j] = terms.get(j);
            }
            return new CoxDesign(rows, x, names.toArray(String[]::new), ct, termNames.toArray(String[]::new),
                    List.copyOf(termLevels));
        }
    }
}
