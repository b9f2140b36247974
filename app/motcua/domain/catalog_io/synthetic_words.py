"""The word material of the synthetic catalog: sectors with their agencies, verbs, objects and components.

The words come from real procedure names so that search, sorting and rendering meet realistic text: long names,
every Vietnamese diacritic, commas inside names. :mod:`~motcua.domain.catalog_io.synthetic` combines them.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.domain.procedures import Level


@dataclass(frozen=True, slots=True)
class Sector:
    """Word material for one sector of the synthetic catalog.

    The words come from real procedure names so that search, sorting and rendering meet realistic text:
    long names, every Vietnamese diacritic, commas inside names.
    """

    name: str
    weights: tuple[int, int, int]  # how often commune / province / central
    agencies: dict[Level, str]
    verbs: tuple[str, ...]
    objects: tuple[str, ...]
    components: tuple[str, ...]


SECTORS: tuple[Sector, ...] = (
    Sector(
        "Hộ tịch",
        (8, 2, 0),
        {Level.COMMUNE: "Ủy ban nhân dân cấp xã", Level.PROVINCE: "Sở Tư pháp"},
        ("Đăng ký", "Đăng ký lại", "Ghi vào sổ hộ tịch việc", "Cấp bản sao trích lục", "Xác nhận"),
        (
            "khai sinh",
            "kết hôn",
            "khai tử",
            "nhận cha, mẹ, con",
            "giám hộ",
            "chấm dứt giám hộ",
            "thay đổi, cải chính, bổ sung hộ tịch",
        ),
        (
            "Giấy chứng sinh hoặc giấy tờ thay thế",
            "Giấy báo tử hoặc giấy tờ thay thế",
            "Giấy xác nhận tình trạng hôn nhân",
            "Văn bản ủy quyền được chứng thực (nếu có)",
        ),
    ),
    Sector(
        "Chứng thực",
        (9, 1, 0),
        {Level.COMMUNE: "Ủy ban nhân dân cấp xã", Level.PROVINCE: "Sở Tư pháp"},
        ("Chứng thực", "Cấp bản sao có chứng thực", "Sửa lỗi sai sót trong", "Chứng thực việc sửa đổi, bổ sung"),
        (
            "bản sao từ bản chính",
            "chữ ký trong giấy tờ, văn bản",
            "hợp đồng, giao dịch về động sản",
            "di chúc",
            "văn bản thỏa thuận phân chia di sản",
            "văn bản khai nhận di sản",
        ),
        (
            "Bản chính giấy tờ, văn bản làm cơ sở chứng thực",
            "Dự thảo hợp đồng, giao dịch",
            "Bản sao giấy tờ chứng minh quyền sở hữu, quyền sử dụng tài sản",
        ),
    ),
    Sector(
        "Đất đai",
        (3, 6, 1),
        {
            Level.COMMUNE: "Ủy ban nhân dân cấp xã",
            Level.PROVINCE: "Văn phòng Đăng ký đất đai tỉnh",
            Level.CENTRAL: "Bộ Nông nghiệp và Môi trường",
        },
        ("Đăng ký", "Cấp đổi", "Cấp lại", "Đính chính", "Xóa đăng ký", "Gia hạn"),
        (
            "quyền sử dụng đất lần đầu",
            "Giấy chứng nhận quyền sử dụng đất",
            "biến động đất đai",
            "chuyển mục đích sử dụng đất",
            "tài sản gắn liền với đất",
            "thế chấp quyền sử dụng đất",
            "tách thửa, hợp thửa đất",
        ),
        (
            "Giấy chứng nhận quyền sử dụng đất đã cấp",
            "Mảnh trích đo địa chính thửa đất",
            "Hợp đồng, văn bản về chuyển quyền sử dụng đất",
            "Tờ khai lệ phí trước bạ",
        ),
    ),
    Sector(
        "Hoạt động xây dựng",
        (5, 4, 1),
        {Level.COMMUNE: "Ủy ban nhân dân cấp xã", Level.PROVINCE: "Sở Xây dựng", Level.CENTRAL: "Bộ Xây dựng"},
        ("Cấp", "Gia hạn", "Cấp lại", "Điều chỉnh"),
        (
            "giấy phép xây dựng mới",
            "giấy phép xây dựng sửa chữa, cải tạo",
            "giấy phép di dời công trình",
            "giấy phép xây dựng có thời hạn",
            "chứng chỉ hành nghề hoạt động xây dựng",
        ),
        (
            "Bản vẽ thiết kế xây dựng",
            "Giấy tờ hợp pháp về đất đai",
            "Báo cáo kết quả thẩm định thiết kế",
            "Bản cam kết bảo đảm an toàn công trình liền kề",
        ),
    ),
    Sector(
        "Bảo trợ xã hội",
        (8, 2, 0),
        {Level.COMMUNE: "Ủy ban nhân dân cấp xã", Level.PROVINCE: "Sở Y tế"},
        ("Thực hiện", "Điều chỉnh", "Thôi hưởng", "Hỗ trợ", "Tiếp nhận đối tượng hưởng"),
        (
            "trợ cấp xã hội hàng tháng",
            "chi phí mai táng",
            "kinh phí chăm sóc, nuôi dưỡng hàng tháng",
            "trợ giúp xã hội khẩn cấp",
            "chăm sóc tại cơ sở trợ giúp xã hội",
        ),
        ("Giấy xác nhận khuyết tật", "Sổ hộ nghèo hoặc giấy chứng nhận hộ nghèo", "Bản sao giấy khai sinh của trẻ em"),
    ),
    Sector(
        "Đăng ký, quản lý cư trú",
        (10, 0, 0),
        {Level.COMMUNE: "Công an cấp xã"},
        ("Đăng ký", "Gia hạn", "Xóa đăng ký", "Khai báo", "Xác nhận thông tin về"),
        ("thường trú", "tạm trú", "tạm vắng", "lưu trú", "cư trú"),
        (
            "Tờ khai thay đổi thông tin cư trú",
            "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",
            "Văn bản đồng ý của chủ hộ",
        ),
    ),
    Sector(
        "Thành lập và hoạt động của hộ kinh doanh",
        (7, 3, 0),
        {Level.COMMUNE: "Ủy ban nhân dân cấp xã", Level.PROVINCE: "Sở Tài chính"},
        (
            "Đăng ký thành lập",
            "Đăng ký thay đổi nội dung đăng ký",
            "Tạm ngừng hoạt động",
            "Chấm dứt hoạt động",
            "Cấp lại giấy chứng nhận đăng ký",
        ),
        ("hộ kinh doanh", "hợp tác xã", "tổ hợp tác", "liên hiệp hợp tác xã"),
        ("Giấy đề nghị đăng ký", "Bản sao biên bản họp thành viên hộ gia đình", "Danh sách thành viên"),
    ),
    Sector(
        "Giáo dục và Đào tạo",
        (4, 5, 1),
        {
            Level.COMMUNE: "Ủy ban nhân dân cấp xã",
            Level.PROVINCE: "Sở Giáo dục và Đào tạo",
            Level.CENTRAL: "Bộ Giáo dục và Đào tạo",
        },
        ("Thành lập", "Cho phép hoạt động giáo dục", "Sáp nhập, chia, tách", "Giải thể", "Chuyển đổi"),
        (
            "trường mầm non",
            "trường tiểu học",
            "trường trung học cơ sở",
            "nhóm trẻ độc lập",
            "trung tâm học tập cộng đồng",
        ),
        ("Đề án thành lập", "Danh sách đội ngũ cán bộ quản lý, giáo viên", "Quyết định công nhận hội đồng trường"),
    ),
    Sector(
        "Y tế",
        (2, 7, 1),
        {Level.COMMUNE: "Ủy ban nhân dân cấp xã", Level.PROVINCE: "Sở Y tế", Level.CENTRAL: "Bộ Y tế"},
        ("Cấp", "Cấp lại", "Điều chỉnh", "Thu hồi"),
        (
            "giấy phép hoạt động khám bệnh, chữa bệnh",
            "chứng chỉ hành nghề dược",
            "giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
            "giấy phép hành nghề khám bệnh, chữa bệnh",
        ),
        ("Bản sao văn bằng chuyên môn", "Giấy chứng nhận đủ sức khỏe hành nghề", "Bản kê khai cơ sở vật chất"),
    ),
    Sector(
        "Nông nghiệp và Môi trường",
        (4, 5, 1),
        {
            Level.COMMUNE: "Ủy ban nhân dân cấp xã",
            Level.PROVINCE: "Sở Nông nghiệp và Môi trường",
            Level.CENTRAL: "Bộ Nông nghiệp và Môi trường",
        },
        ("Cấp", "Gia hạn", "Xác nhận", "Đăng ký", "Phê duyệt"),
        (
            "giấy phép khai thác nước dưới đất",
            "kế hoạch bảo vệ môi trường",
            "giấy chứng nhận kiểm dịch động vật",
            "phương án trồng rừng thay thế",
            "giấy xác nhận nuôi trồng thủy sản lồng bè",
        ),
        ("Báo cáo đánh giá tác động môi trường", "Sơ đồ khu vực khai thác", "Kết quả phân tích chất lượng nước"),
    ),
    Sector(
        "Văn hóa, Thể thao và Du lịch",
        (3, 6, 1),
        {
            Level.COMMUNE: "Ủy ban nhân dân cấp xã",
            Level.PROVINCE: "Sở Văn hóa, Thể thao và Du lịch",
            Level.CENTRAL: "Bộ Văn hóa, Thể thao và Du lịch",
        },
        ("Cấp", "Cấp lại", "Công nhận", "Thông báo tổ chức", "Đăng ký hoạt động"),
        (
            "giấy phép kinh doanh dịch vụ karaoke",
            "lễ hội truyền thống",
            "câu lạc bộ thể thao cơ sở",
            "thư viện cộng đồng",
            "biểu diễn nghệ thuật",
        ),
        ("Kịch bản chương trình", "Danh sách người tham gia", "Văn bản chấp thuận của địa phương"),
    ),
    Sector(
        "Người có công",
        (6, 4, 0),
        {Level.COMMUNE: "Ủy ban nhân dân cấp xã", Level.PROVINCE: "Sở Nội vụ"},
        ("Giải quyết chế độ", "Hưởng trợ cấp", "Cấp giấy xác nhận", "Di chuyển hồ sơ", "Hỗ trợ cải thiện"),
        (
            "thân nhân liệt sĩ",
            "thương binh",
            "người hoạt động kháng chiến",
            "người có công với cách mạng",
            "nhà ở cho người có công",
        ),
        ("Bản khai cá nhân", "Giấy chứng nhận thương binh", "Biên bản giám định y khoa"),
    ),
)

QUALIFIERS = (
    "",
    "đối với cá nhân",
    "đối với tổ chức",
    "có yếu tố nước ngoài",
    "cho hộ gia đình, cá nhân",
    "trường hợp bị mất, hỏng",
    "lần đầu",
    "trên địa bàn tỉnh",
)
COMMON_COMPONENTS = (
    "Bản sao giấy tờ tùy thân của người nộp hồ sơ",
    "Văn bản ủy quyền theo quy định (nếu nộp thay)",
    "Ảnh chân dung cỡ 4x6 cm chụp trong thời gian 06 tháng",
    "Giấy tờ chứng minh thuộc đối tượng được miễn, giảm phí, lệ phí (nếu có)",
)
FEE_AMOUNTS = (5_000, 8_000, 10_000, 15_000, 20_000, 25_000, 50_000, 70_000, 100_000, 150_000, 200_000, 500_000)
