//! Browsing history: newest first, the newest 50 kept, tenants apart.

use super::*;
use switchboard_domain::workspace::PageView;

pub async fn browsing_history(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let other = tenant("globex");
    let v = VisitorId::parse("v-grace").unwrap();
    assert!(store.page_views(&t, &v).await.unwrap().is_empty());
    for i in 0..65u64 {
        let view = PageView::parse(
            &format!("https://shop.example.com/p/{i}"),
            Some(&format!("Product {i}")),
            Timestamp(T0 + i),
        )
        .unwrap();
        store.record_page_view(&t, &v, &view).await.unwrap();
    }
    let views = store.page_views(&t, &v).await.unwrap();
    assert_eq!(views.len(), PageView::KEPT);
    assert_eq!(views[0].url, "https://shop.example.com/p/64");
    assert_eq!(views[0].title.as_deref(), Some("Product 64"));
    assert_eq!(views[49].url, "https://shop.example.com/p/15");
    assert!(views.windows(2).all(|w| w[0].at > w[1].at));
    assert!(store.page_views(&other, &v).await.unwrap().is_empty());

    // Concurrent views of one visitor: none lost among the newest.
    let extra: Vec<PageView> = (0..8u64)
        .map(|i| {
            PageView::parse(
                &format!("https://shop.example.com/c/{i}"),
                None,
                Timestamp(T0 + 100 + i),
            )
            .unwrap()
        })
        .collect();
    futures::future::join_all(
        extra
            .iter()
            .map(|view| store.record_page_view(&t, &v, view)),
    )
    .await
    .into_iter()
    .for_each(|r| r.unwrap());
    let views = store.page_views(&t, &v).await.unwrap();
    assert_eq!(views.len(), PageView::KEPT);
    for view in &extra {
        assert!(views.contains(view), "{view:?} lost");
    }
}
