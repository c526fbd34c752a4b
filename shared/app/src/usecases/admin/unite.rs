//! Admins review the tenant's merges and undo one: B gets back exactly what
//! came from B, and A keeps what it had and what it was given since.

use super::{snapshot, Admin, AdminError, MAX_PAGE};
use crate::ports::{Page, UniteError};
use switchboard_domain::workspace::unite::{ClientCard, Merge, Undone};
use switchboard_domain::Account;

impl Admin {
    pub async fn merges(
        &self,
        caller: &Account,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page<Merge>, AdminError> {
        Self::require_admin(caller)?;
        Ok(self
            .unite
            .merges(&caller.tenant, after, limit.clamp(1, MAX_PAGE))
            .await?)
    }

    pub async fn merge(&self, caller: &Account, id: &str) -> Result<Merge, AdminError> {
        Self::require_admin(caller)?;
        self.unite
            .merge_record(&caller.tenant, id)
            .await?
            .ok_or(AdminError::NotFound("merge"))
    }

    #[tracing::instrument(skip_all, fields(tenant = %caller.tenant, merge = %id))]
    pub async fn undo_merge(&self, caller: &Account, id: &str) -> Result<Merge, AdminError> {
        let merge = self.merge(caller, id).await?;
        let already = || AdminError::conflict("id", "the merge was undone already");
        if merge.undone.is_some() {
            return Err(already());
        }
        // A's name, phone and e-mail now: those the merge gave A go back,
        // any A was given since stay.
        let into = self
            .conversations
            .conversation(&caller.tenant, &merge.into.conversation)
            .await?
            .ok_or(AdminError::NotFound("conversation"))?;
        let identity =
            merge.identity_after_undo(&ClientCard::of(&into, Vec::new(), Default::default()));
        let undone = Undone {
            by: caller.id.clone(),
            at: self.clock.now(),
        };
        let after = match self
            .unite
            .undo_merge(&caller.tenant, id, &undone, &identity)
            .await
        {
            Ok(after) => after,
            Err(UniteError::AlreadyUndone) => return Err(already()),
            Err(UniteError::NotFound) => return Err(AdminError::NotFound("merge")),
            Err(UniteError::Store(e)) => return Err(e.into()),
            Err(e @ UniteError::Changed) => {
                return Err(crate::ports::StoreError::backend("undoing a merge", e).into())
            }
        };
        self.audit(caller, "merge.undo", id, snapshot(&merge), snapshot(&after))
            .await?;
        Ok(after)
    }
}
