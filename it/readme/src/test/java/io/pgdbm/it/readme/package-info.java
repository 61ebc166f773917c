/**
 * The README's projects, built from its own text. {@link io.pgdbm.it.readme.Readme} reads the blocks the README shows;
 * {@link io.pgdbm.it.readme.ReactorRepository} installs this build's io.pgdbm artifacts into a local repository of
 * their own (third-party artifacts linked from the build's repository, nothing else of io.pgdbm);
 * {@link io.pgdbm.it.readme.NestedMaven} runs Maven on a project written from those blocks, as a reader would.
 */
package io.pgdbm.it.readme;
