"""AppTest of the Clusters page: no data, sample data, the shared home-goods file, typed and filed new customers."""
from core import clustering, pipeline
from core.clustering import LABELS_KEY
from core.settings import ClusterChoices
from tests.apptest_helpers import errors, fresh_app, page_path, upload
from tests.conftest import PRACTICUM_UPD, REPO

PAGE = page_path("7_Clusters.py")
SAMPLE = REPO / "sample_data" / "orders.csv"


def metrics(at):
    return {m.label: m.value for m in at.metric}


def profile_sizes(at):
    return at.dataframe[0].value["customers"]


def test_sample_data_clusters_profiles_and_a_typed_customer():
    at = fresh_app().run()
    at.switch_page(PAGE).run()
    assert not at.exception and not errors(at)
    customers = int(metrics(at)["Customers"].replace(",", ""))
    assert customers > 1500
    assert profile_sizes(at).sum() == customers
    labels = at.session_state[LABELS_KEY]
    assert len(labels) == customers and labels.min() == 1
    assert at.selectbox(key="clusters_k").value == 0                   # the suggestion
    assert at.session_state["settings"].clusters == ClusterChoices()     # the first visit adds the clusters
    assert any("RFM segment" in s.value and "Cluster **" in s.value for s in at.success)

    at.selectbox(key="clusters_k").select(4).run()
    assert metrics(at)["Clusters"] == "4" and len(profile_sizes(at)) == 4
    assert sorted(at.session_state[LABELS_KEY].unique()) == [1, 2, 3, 4]
    settings = at.session_state["settings"]
    assert settings.clusters == ClusterChoices(k=4)
    rules = pipeline.effective_rules(settings, "ru")                     # the sample's product names are Russian
    assert at.session_state["cluster_basis"] == at.session_state["source"].digest + clustering.export_key(settings,
                                                                                                        rules)
    at.number_input(key="clusters_new_recency").set_value(3).run()
    at.number_input(key="clusters_new_frequency").set_value(9).run()
    at.number_input(key="clusters_new_monetary").set_value(50_000.0).run()
    message = at.success[0].value
    assert "Cluster **1 · recent, frequent, high spend**" in message and "Champions" in message
    assert "9 orders" in message and "50,000\u00a0₽ spend" in message        # Russian product names: roubles

    first = at.session_state[LABELS_KEY]
    at.switch_page("streamlit_app.py").run()
    at.switch_page(PAGE).run()                                         # k and seed survive the page switch
    assert metrics(at)["Clusters"] == "4"
    assert at.session_state[LABELS_KEY].equals(first)


def test_new_customers_from_a_file_get_clusters_and_segments():
    at = fresh_app().run()
    at.switch_page(PAGE).run()
    at.file_uploader(key="clusters_new_file").set_value((SAMPLE.name, SAMPLE.read_bytes(), "text/csv")).run()
    assert not at.exception and not errors(at)
    assert any("customers assigned" in m.value for m in at.markdown)
    assigned = at.dataframe[-1].value
    labels = at.session_state[LABELS_KEY]
    assert len(assigned) == len(labels)
    assert (assigned.set_index("customer_id")["cluster"] == labels.reindex(assigned["customer_id"])).all()
    at.file_uploader(key="clusters_new_file").set_value(("notes.csv", b"hello", "text/csv")).run()
    assert len(errors(at)) == 1 and not at.exception


def test_shared_file_cluster_sizes_add_up_to_its_customers():
    at = upload(fresh_app().run(), PRACTICUM_UPD)
    at.switch_page(PAGE).run()
    assert not at.exception and not errors(at)
    assert metrics(at)["Customers"] == "2,451"
    assert profile_sizes(at).sum() == 2451
    at.checkbox(key="clusters_shares").check().run()
    assert not at.exception and not errors(at)
    assert profile_sizes(at).sum() == 2451
    assert any("count as average" in c.value for c in at.caption)
