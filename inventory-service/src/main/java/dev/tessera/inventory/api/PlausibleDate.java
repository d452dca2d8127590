package dev.tessera.inventory.api;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.LocalDate;

/** A date a plan can mean: years 1970 to 2200, so "year 99999" is refused instead of stored. */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = PlausibleDate.Check.class)
public @interface PlausibleDate {

    /** The answer for a date outside the range, also where a date is read by hand (query strings, CSV). */
    String MESSAGE = "must be a date between 1970-01-01 and 2200-12-31";

    String message() default MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<PlausibleDate, LocalDate> {
        @Override
        public boolean isValid(LocalDate value, ConstraintValidatorContext context) {
            return value == null || plausible(value);
        }

        public static boolean plausible(LocalDate value) {
            return value.getYear() >= 1970 && value.getYear() <= 2200;
        }
    }
}
