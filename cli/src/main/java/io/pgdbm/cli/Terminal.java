package io.pgdbm.cli;

/** Where a command asks a person to confirm something ({@code db drop}); {@link SystemTerminal} is the real one. */
interface Terminal {

    /** No one to ask: what a command sees in a pipeline. */
    Terminal NONE = new Terminal() {
        @Override
        public boolean isInteractive() {
            return false;
        }

        @Override
        public String readLine(String prompt) {
            throw new IllegalStateException("there is no terminal to read from");
        }
    };

    /** Whether a person is there to answer: input and output are a terminal, not a pipe or a file. */
    boolean isInteractive();

    /** Shows the prompt and reads the answer; {@code null} at the end of the input. */
    String readLine(String prompt);
}
