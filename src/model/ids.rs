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

/// A 32-bit value that fits in [`Maybe`]: ids and schedule or instance indices.
pub trait Packed32: Copy {
    /// As a `u32`.
    fn pack(self) -> u32;
    /// From a `u32` made by [`Packed32::pack`].
    fn unpack(x: u32) -> Self;
}

impl Packed32 for u32 {
    fn pack(self) -> u32 {
        self
    }
    fn unpack(x: u32) -> Self {
        x
    }
}

impl Packed32 for BackupId {
    fn pack(self) -> u32 {
        self.0
    }
    fn unpack(x: u32) -> Self {
        BackupId(x)
    }
}

impl Packed32 for CopyId {
    fn pack(self) -> u32 {
        self.0
    }
    fn unpack(x: u32) -> Self {
        CopyId(x)
    }
}

/// An optional 32-bit id in 4 bytes where `Option` takes 8 (`u32::MAX` is none): what the
/// live backups and copies, millions at once, store for their links to each other. An id never
/// reaches `u32::MAX` (the event budget keeps a run far below it).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Maybe<T>(u32, std::marker::PhantomData<T>);

impl<T: Packed32> Maybe<T> {
    /// None.
    pub const NONE: Self = Maybe(u32::MAX, std::marker::PhantomData);

    /// The value, if any.
    #[inline]
    pub fn get(self) -> Option<T> {
        (self.0 != u32::MAX).then(|| T::unpack(self.0))
    }

    /// Whether there is a value.
    #[inline]
    pub fn is_some(self) -> bool {
        self.0 != u32::MAX
    }

    /// Whether there is none.
    #[inline]
    pub fn is_none(self) -> bool {
        self.0 == u32::MAX
    }
}

impl<T: Packed32> From<Option<T>> for Maybe<T> {
    #[inline]
    fn from(x: Option<T>) -> Self {
        match x {
            Some(v) => {
                let p = v.pack();
                assert!(p != u32::MAX, "an id reached u32::MAX");
                Maybe(p, std::marker::PhantomData)
            }
            None => Self::NONE,
        }
    }
}

impl<T: Packed32> From<T> for Maybe<T> {
    #[inline]
    fn from(x: T) -> Self {
        Self::from(Some(x))
    }
}

impl<T: Packed32> Default for Maybe<T> {
    fn default() -> Self {
        Self::NONE
    }
}

impl<T: Packed32 + std::fmt::Debug> std::fmt::Debug for Maybe<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_maybe_id_holds_an_optional_id_in_four_bytes() {
        assert_eq!(std::mem::size_of::<Maybe<CopyId>>(), 4);
        assert_eq!(Maybe::from(CopyId(0)).get(), Some(CopyId(0)));
        assert_eq!(Maybe::from(Some(BackupId(7))).get(), Some(BackupId(7)));
        assert_eq!(Maybe::<u32>::from(None).get(), None);
        assert!(Maybe::<CopyId>::default().is_none());
    }
}
