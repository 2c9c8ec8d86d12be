#!/usr/bin/env bash
# Builds the bed's tiny guest into test/bed/.cache/: a Debian cloud kernel
# (vmlinuz) and a busybox initramfs (initrd.gz) holding guest/init and the virtio
# modules. Both are cached; a re-run with nothing changed takes well under a second.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODULES=(virtio virtio_ring virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci
  virtio_balloon virtio_blk failover net_failover virtio_net)

mkdir -p "$BED_CACHE"
kernel_dir="$BED_CACHE/kernel"

if [[ ! -s $BED_CACHE/vmlinuz || ! -d $kernel_dir/lib/modules ]]; then
  pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
    awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
  if [[ -z $pkg ]]; then
    step "apt-get update (no package list names the cloud kernel yet)"
    apt-get update -qq
    pkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
  fi
  [[ -n $pkg ]] || die "cannot find the Debian cloud kernel package"
  step "downloading $pkg"
  tmp=$(mktemp -d)
  chmod 777 "$tmp" # apt-get download drops to the _apt user where it can
  (cd "$tmp" && apt-get download -q "$pkg" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
  deb=$(ls "$tmp"/*.deb 2>/dev/null | head -n1)
  [[ -n $deb ]] || die "apt-get download $pkg produced no .deb"
  rm -rf "$kernel_dir"
  mkdir -p "$kernel_dir"
  dpkg-deb -x "$deb" "$kernel_dir"
  rm -rf "$tmp"
  cp "$kernel_dir"/boot/vmlinuz-* "$BED_CACHE/vmlinuz.tmp"
  mv "$BED_CACHE/vmlinuz.tmp" "$BED_CACHE/vmlinuz"
  rm -f "$BED_CACHE/initrd.stamp"
fi

# Rebuild the initramfs when /init, the module list, busybox or the kernel changed.
stamp=$(
  {
    cat "$BED_DIR/guest/init"
    echo "${MODULES[*]}"
    sha256sum /bin/busybox "$BED_CACHE/vmlinuz"
  } | sha256sum | cut -c1-16
)
if [[ ! -s $BED_CACHE/initrd.gz || $(cat "$BED_CACHE/initrd.stamp" 2>/dev/null) != "$stamp" ]]; then
  step "building the guest initramfs"
  root=$(mktemp -d)
  mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib/modules}
  cp /bin/busybox "$root/bin/busybox"
  cp "$BED_DIR/guest/init" "$root/init"
  chmod 755 "$root/init"
  for m in "${MODULES[@]}"; do
    ko=$(find "$kernel_dir/lib/modules" -name "$m.ko" -o -name "$m.ko.xz" | head -n1)
    [[ -n $ko ]] || die "kernel module $m not found in $kernel_dir"
    [[ $ko == *.xz ]] && die "compressed module $ko: busybox insmod cannot load it"
    cp "$ko" "$root/lib/modules/$m.ko"
  done
  (cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) >"$BED_CACHE/initrd.gz.tmp"
  mv "$BED_CACHE/initrd.gz.tmp" "$BED_CACHE/initrd.gz"
  echo "$stamp" >"$BED_CACHE/initrd.stamp"
  rm -rf "$root"
fi
