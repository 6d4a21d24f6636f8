package io.weft.control.state;

/** A desired state document that is malformed, with the member at fault and the rule. */
public final class InvalidDesiredStateException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String member;

    public InvalidDesiredStateException(String member, String reason) {
        super("Invalid desired state, member " + member + ": " + reason);
        this.member = member;
    }

    /** Returns the path of the member at fault, such as {@code configurations.org.example.port}. */
    public String member() {
        return member;
    }
}
