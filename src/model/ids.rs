//! Id newtypes: each indexes one `Vec` in the [`World`](super::World), so lookups are O(1) and iteration order is creation order.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident($inner:ty)) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub $inner);

        impl $name {
            /// The index into the world's table.
            pub fn index(self) -> usize {
                self.0 as usize
            }
            /// The id for table index `i`.
            pub fn from_index(i: usize) -> Self {
                Self(i as $inner)
            }
        }
    };
}

id_type!(
    /// A region.
    RegionId(u16)
);
id_type!(
    /// An account, tenancy or project.
    AccountId(u16)
);
id_type!(
    /// An encryption key.
    KeyId(u16)
);
id_type!(
    /// A volume, file system or file share.
    VolumeId(u32)
);
id_type!(
    /// A backup (snapshot) in one region: a source backup or the result of a copy.
    BackupId(u32)
);
id_type!(
    /// A copy (or, on Huawei CBR, a share) of a backup.
    CopyId(u32)
);
id_type!(
    /// A directed link between two regions.
    LinkId(u32)
);
