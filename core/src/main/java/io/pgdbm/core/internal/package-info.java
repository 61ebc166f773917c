/**
 * Internals of the standalone engine. Not API: anything here may change in any release.
 */
package io.pgdbm.core.internal;
