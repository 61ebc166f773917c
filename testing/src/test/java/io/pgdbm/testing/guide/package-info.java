/**
 * The README's testing guide, compiled and run: its test class, in a package of its own so that its imports are the
 * ones a user writes ({@code ReadmeTestingGuideTest} checks the README against it).
 */
package io.pgdbm.testing.guide;
