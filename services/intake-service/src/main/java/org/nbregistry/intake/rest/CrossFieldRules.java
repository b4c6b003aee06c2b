package org.nbregistry.intake.rest;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.nbregistry.support.problem.RuleViolations;
import org.nbregistry.support.problem.RuleViolations.Broken;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;

/**
 * Rules between fields of one record (e.g. "scores only when MIBG-avid"), checked with the single-field rules
 * and reported like them: one entry per broken rule, on its field, under its own rule name.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = CrossFieldRules.Check.class)
public @interface CrossFieldRules {

    String message() default "breaks a rule between fields";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** A record with rules between its fields. Must tolerate nulls: missing fields are reported by their own rules. */
    interface Checked {
        List<Broken> brokenRules();
    }

    class Check implements ConstraintValidator<CrossFieldRules, Checked> {
        @Override
        public boolean isValid(Checked value, ConstraintValidatorContext context) {
            return value == null || RuleViolations.report(value.brokenRules(), context);
        }
    }
}
