/**
 * Images: how KubeLab stores, imports, saves, builds and commits container images.
 *
 * <p>On disk, under the runtime root (default /var/lib/kubelab):
 * <pre>
 * images/
 *   oci-layout                   {"imageLayoutVersion":"1.0.0"}: this directory is an OCI image layout
 *   index.json                   the images: one manifest entry per tag (ref.name = NAME:TAG),
 *                                an entry without a name for an untagged image
 *   blobs/sha256/&lt;hex&gt;           manifests, configs and layer tars, each named by its sha256
 *   layers/&lt;diff-id hex&gt;/diff     each layer unpacked once, with overlayfs whiteouts: a lowerdir
 *   layers/&lt;diff-id hex&gt;/layer.json   its diff id, blob and content size
 *   l/&lt;26 hex&gt;                  short symlinks to the diff dirs: what the runtime mounts, so that
 *                                the lowerdir= list of a many-layer image fits in one page
 *   tmp/                         staging: every new file is written here and renamed into place
 *   lock                         flock'ed by writers
 * </pre>
 * umoci and skopeo read {@code images/} as they read any layout
 * ({@code umoci ls --layout /var/lib/kubelab/images}).
 *
 * <p>The pieces: {@link kubelab.container.image.OciImageStore} (the store, implementing the
 * {@link kubelab.container.image.ImageStore} seam the container side uses),
 * {@link kubelab.container.image.LayerStore} (unpacked layers),
 * {@link kubelab.container.image.BusyboxImage} (the built-in image),
 * {@link kubelab.container.image.ImageImporter} and {@link kubelab.container.image.ImageSaver}
 * (archives), {@link kubelab.container.image.FlatExport} ({@code lab export}),
 * {@link kubelab.container.image.CriImageService} (the kubelet's view), and the sub-packages
 * {@code tar} (the tar format), {@code fs} (layer unpacking and packing, whiteouts, the merged view)
 * and {@code oci} (the JSON documents and the layout) and {@code build} (the Dockerfile builder).
 */
package kubelab.container.image;
