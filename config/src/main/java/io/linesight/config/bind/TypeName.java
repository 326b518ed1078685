/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.bind;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names one record of a sealed interface in YAML: the mapping's {@code type:} key selects it.
 * Every permitted subtype of a sealed config interface carries one.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TypeName {
    String value();
}
