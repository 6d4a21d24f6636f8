package io.weft.manager.apps.internal;

import java.util.List;

import io.weft.manager.store.StoredApp;

/** JSON bodies of the {@code /api/v1/apps} resource. */
public final class AppDtos {

    private AppDtos() {
    }

    /**
     * One version of an app.
     *
     * @param signature  the detached CMS signature of the repository key, Base64-encoded DER
     * @param uploadedAt time of the upload as an ISO-8601 instant
     */
    public record AppVersionDto(String name, String version, String sha256, long sizeBytes, String signature,
            String uploadedBy, String uploadedAt) {

        static AppVersionDto of(StoredApp app) {
            return new AppVersionDto(app.name(), app.version(), app.sha256(), app.sizeBytes(), app.signature(),
                    app.uploadedBy(), app.uploadedAt().toString());
        }
    }

    /** An app with its versions in upload order. */
    public record AppDto(String name, List<AppVersionDto> versions) {
    }

    /** Every app of the repository, sorted by name. */
    public record AppListDto(List<AppDto> items) {
    }
}
