package io.weft.examples.hello;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the hello app, from the profile PID {@code io.weft.app.hello}. */
@ObjectClassDefinition(name = "Hello app", description = "Greeting of the hello example app.")
public @interface HelloConfig {

    /** The PID that the manager sets in the profiles of domains and nodes. */
    String PID = "io.weft.app.hello";

    @AttributeDefinition(name = "Greeting", description = "The word before the name in a greeting, such as 'Hello'.")
    String greeting() default "Hello";
}
