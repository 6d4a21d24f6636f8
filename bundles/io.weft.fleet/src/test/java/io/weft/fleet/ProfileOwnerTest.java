package io.weft.fleet;

import static io.weft.fleet.Rejections.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fleet.InvalidFleetInputException.Rule;
import org.junit.jupiter.api.Test;

class ProfileOwnerTest {

    @Test
    void domainOwnerRoundTrips() {
        ProfileOwner owner = ProfileOwner.domain(DomainName.of("east.acme.example"));

        assertThat(owner).hasToString("domain:east.acme.example");
        assertThat(ProfileOwner.parse("domain:East.Acme.Example")).isEqualTo(owner);
        assertThat(owner.kind()).isEqualTo(ProfileOwner.Kind.DOMAIN);
        assertThat(owner.node()).isEmpty();
    }

    @Test
    void nodeOwnerKnowsItsDomain() {
        ProfileOwner owner = ProfileOwner.parse("node:gw1.east.acme.example");

        assertThat(owner).hasToString("node:gw1.east.acme.example");
        assertThat(owner.kind()).isEqualTo(ProfileOwner.Kind.NODE);
        assertThat(owner.domain()).isEqualTo(DomainName.of("east.acme.example"));
        assertThat(owner.node()).contains(NodeFullName.parse("gw1.east.acme.example"));
    }

    @Test
    void parseRejectsUnknownPrefix() {
        InvalidFleetInputException rejected = rejection(() -> ProfileOwner.parse("site:east.acme.example"));

        assertThat(rejected.field()).isEqualTo("owner");
        assertThat(rejected.rule()).isEqualTo(Rule.INVALID_FORMAT);
        assertThat(rejected.getMessage()).isEqualTo("Invalid profile owner 'site:east.acme.example': it must start with"
                + " 'domain:' or 'node:'. Write 'domain:east.acme.example' or 'node:gw1.east.acme.example'.");
    }

    @Test
    void ruleCodesAreKebabCase() {
        assertThat(Rule.TOO_LONG.code()).isEqualTo("too-long");
        assertThat(Rule.INVALID_TRANSITION.code()).isEqualTo("invalid-transition");
    }
}
